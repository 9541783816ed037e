/**
 * All pmapping templates of one Einsum (FFM §2): storage choice → storage order → Tolls →
 * temporal loops and their orders → spatial loops → missing temporal loops → fused labels →
 * dedup, per enabled compute unit.
 */
import type { ComputePath, EinsumContext } from "@effect-accelforge/core"
import type { EinsumFacts } from "./einsum-facts.ts"
import { insertSpatialLoops, type PendingLoopBound } from "./spatial-loops.ts"
import { storageChoices } from "./storage-choices.ts"
import { cumulativeFanout, insertTolls, type OrderOptions, slotsOf, storageOrders } from "./storage-order.ts"
import type { LoopBound, LoopSlot, StorageSlot, Template, TemplateNode } from "./template.ts"
import { gapVariables, type LoopOptions, loopOrders, storageGroups } from "./temporal-loops.ts"

export interface TemplateOptions {
  readonly forceMemoryHierarchyOrder: boolean
  readonly prioritizeReuseOfUnfusedTensors: boolean
  readonly maxFusedLoops: number
  readonly exploreLoopOrders: boolean
  readonly maxTemplatesPerEinsum: number
}

const temporal = (rankVariable: string): LoopSlot => ({
  kind: "loop", spatial: false, rankVariable, component: undefined, level: -1, dimension: undefined, fused: false
})

/**
 * Cartesian product of lists, the first list's element varying slowest. A loop, not a recursive
 * generator: it runs cold once per storage order on every search's clock, mostly over lists of
 * one element (one loop order per gap unless `explore_loop_orders`).
 */
const product = <T>(lists: ReadonlyArray<ReadonlyArray<T>>): Array<Array<T>> => {
  let out: Array<Array<T>> = [[]]
  for (const list of lists) {
    const longer: Array<Array<T>> = []
    for (const head of out) for (const x of list) longer.push([...head, x])
    out = longer
  }
  return out
}

/** Whether `nodes` has a temporal loop over `v`. */
const hasTemporalLoop = (nodes: ReadonlyArray<TemplateNode>, v: string): boolean => {
  for (const n of nodes) if (n.kind === "loop" && !n.spatial && n.rankVariable === v) return true
  return false
}

/**
 * A variable without any temporal loop gets one below the last backing node (§2.6). Plain loops
 * here and below: this runs cold once per template on every search's clock.
 */
const placeMissingTemporalLoops = (nodes: Array<TemplateNode>, facts: EinsumFacts): void => {
  for (const v of facts.rankVariables) {
    if (hasTemporalLoop(nodes, v)) continue
    let position = 0
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!
      if (n.kind === "storage" && n.backing) position = i + 1
    }
    while (position < nodes.length && nodes[position]!.kind === "loop" && !(nodes[position] as LoopSlot).spatial) position++
    nodes.splice(position, 0, temporal(v))
  }
}

/** Loops above the last backing node of a fusable tensor are fused (§2.6). */
const labelFusedLoops = (nodes: ReadonlyArray<TemplateNode>, facts: EinsumFacts): Array<TemplateNode> => {
  let last = -1
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!
    if (n.kind === "storage" && n.backing && facts.fusable.has(n.tensor)) last = i
  }
  const out: Array<TemplateNode> = []
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!
    out.push(n.kind === "loop" && i < last ? { ...n, fused: true } : n)
  }
  return out
}

/** The positions of the loops among the nodes. */
const loopPositionsOf = (nodes: ReadonlyArray<TemplateNode>): Array<number> => {
  const out: Array<number> = []
  for (let i = 0; i < nodes.length; i++) if (nodes[i]!.kind === "loop") out.push(i)
  return out
}

/**
 * Runs of storage nodes compare as sets; everything else in order (§2.9). Each part of the key
 * ends with "/". One string built in a loop: this runs cold once per template on every search's
 * clock.
 */
const dedupKey = (nodes: ReadonlyArray<TemplateNode>): string => {
  let key = ""
  let run: Array<string> | undefined
  for (const n of nodes) {
    if (n.kind === "storage") {
      ;(run ??= []).push(n.component + ":" + n.tensor)
      continue
    }
    if (run !== undefined) key += "{" + run.sort().join(",") + "}/"
    run = undefined
    key += n.kind === "loop" ? (n.spatial ? "S:" : "T:") + n.rankVariable + ":" + (n.component ?? "") + ":" + (n.dimension ?? "") + "/" : "C:" + n.component + "/"
  }
  return run === undefined ? key : key + "{" + run.sort().join(",") + "}/"
}

const resolveBounds = (nodes: ReadonlyArray<TemplateNode>, pending: ReadonlyArray<PendingLoopBound>): Array<LoopBound> => {
  const loopIndex = new Map<TemplateNode, number>()
  let k = 0
  for (const n of nodes) if (n.kind === "loop") loopIndex.set(n, k++)
  return pending.map((b) => ({
    loops: b.loops.map((l) => loopIndex.get(l)!),
    operator: b.operator.replace(/^product/, "").trim(),
    value: b.value,
    product: b.operator.startsWith("product")
  }))
}

/** The templates of one Einsum on one flattened arch, in generation order. */
export function* templatesFor(ctx: EinsumContext, arch: ComputePath, facts: EinsumFacts, options: TemplateOptions): Generator<Template> {
  const fanout = cumulativeFanout(arch)
  const firstMemoryLevel = arch.nodes.findIndex((n) => n.kind === "Memory" && n.enabled !== false)
  const order: OrderOptions = {
    forceMemoryHierarchyOrder: options.forceMemoryHierarchyOrder,
    firstMemoryLevel,
    cumulativeFanout: fanout,
    levelForcesOrder: arch.nodes.map((n) => n.tensors?.forceMemoryHierarchyOrder ?? true),
    aboveFirst: arch.nodes.map((n) => options.prioritizeReuseOfUnfusedTensors && (n.tensors?.tensorOrderOptions.length ?? 0) === 0)
  }
  const loopOptions: LoopOptions = {
    firstMemoryLevel,
    cumulativeFanout: fanout,
    computeFanout: fanout[fanout.length - 1] ?? 1,
    maxFusedLoops: options.maxFusedLoops,
    exploreLoopOrders: options.exploreLoopOrders
  }
  const compute = arch.nodes.length - 1
  const seen = new Set<string>()
  let index = 0
  for (const choice of storageChoices(ctx, arch, facts.isCopy)) {
    const { memories, tolls } = slotsOf(choice, facts)
    const held = new Set(memories.map((s) => s.tensor))
    if (!facts.tensors.every((t) => held.has(t))) continue
    for (const memoryOrder of storageOrders(memories, facts, order)) {
      const storage = insertTolls(memoryOrder, tolls, order)
      const groups = storageGroups(storage, facts, loopOptions)
      let lastFusableBacking = -1
      for (let i = 0; i < storage.length; i++) if (storage[i]!.backing && facts.fusable.has(storage[i]!.tensor)) lastFusableBacking = i
      const gapChoices = groups.map((_, g) =>
        loopOrders(gapVariables(groups, g, facts, lastFusableBacking, loopOptions), groups[g]!, facts, loopOptions)
      )
      for (const gaps of product(gapChoices)) {
        const nodes: Array<TemplateNode> = []
        for (let g = 0; g < groups.length; g++) {
          for (const slot of groups[g]!) nodes.push(slot)
          for (const v of gaps[g]!) nodes.push(temporal(v))
        }
        const { bounds, minUsage } = insertSpatialLoops(nodes, arch, facts)
        placeMissingTemporalLoops(nodes, facts)
        nodes.push({ kind: "compute", component: arch.compute, level: compute })
        const labelled = labelFusedLoops(nodes, facts)
        const key = dedupKey(labelled)
        if (seen.has(key)) continue
        seen.add(key)
        const loopPositions = loopPositionsOf(labelled)
        // Bounds refer to the unlabelled loop objects; positions are the same in both arrays.
        yield {
          einsum: facts.name, context: ctx, arch, nodes: labelled, loopPositions,
          loopBounds: resolveBounds(nodes, bounds), minUsage, index: index++
        }
        if (index >= options.maxTemplatesPerEinsum) return
      }
    }
  }
}

export type { StorageSlot }
