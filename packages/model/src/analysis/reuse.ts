/**
 * The reuse analysis of one tensor (model §2): a bottom-up walk over the tensor's node order
 * that builds one buffet per holder (created at the holder's reservation) plus the Compute's
 * pseudo-buffet, and pushes counts up through the loops.
 *
 * Reuse comes only from where holders sit: a holder refetches its tile on every iteration of
 * every loop above it, and keeps it across the loops below it. The exceptions are spatial
 * multicast and reduction, where one parent transfer serves several instances.
 */
import type { ResolvedComponent } from "@effect-accelforge/core"
import { add, div, mul, type Value } from "../algebra/value.ts"
import type { HolderNode, LoopNode, Pmapping } from "../mapping/pmapping.ts"
import { F, newStats, repeatSpatial, repeatTemporal, type Stats } from "./buffet-stats.ts"
import { type EinsumGeometry, type TensorGeometry, tileValues } from "./geometry.ts"
import { actionsPerValue, bitsPerValueAt, mayReuse, networksBetween } from "./level-facts.ts"
import type { LoopCounts } from "./loop-counts.ts"
import { addSpatialHops, type HopStats, newHopStats, repeatHops } from "./network-hops.ts"
import type { Distribution } from "./distribution.ts"
import type { AnalysisNode } from "./reservations.ts"

export interface Buffet<V extends Value = number> {
  readonly tensor: string
  readonly component: string
  readonly level: number
  /** Undefined for the Compute's pseudo-buffet. */
  readonly holder: HolderNode | undefined
  /** Level of the holder this buffet is filled from; undefined for a backing holder. */
  readonly parentLevel: number | undefined
  readonly stats: Stats<V>
  /** Bits held by one instance, or one unit of a distributed buffer (0 for Tolls and the Compute). */
  readonly occupancy: V
  /** One entry per Network crossed between this buffet and its parent. */
  readonly hops: ReadonlyArray<HopStats<V>>
}

export interface PassInput<V extends Value = number> {
  readonly pmapping: Pmapping
  /** Each loop's tile (by `order`): its `tileShape`, or a symbol. */
  readonly tiles: ArrayLike<V>
  readonly geometry: EinsumGeometry
  readonly counts: LoopCounts<V>
  readonly copy: boolean
  readonly distribution: Distribution<V>
}

/**
 * The current extent of every rank variable just above each node the walk reads it at (a
 * holder, a reservation, and the node after a spatial loop; undefined elsewhere). Nodes with
 * no loop between them share one array (they see the same extents; no one writes them), and
 * an array is made only where it is read: most nodes are temporal loops, whose shapes nothing
 * reads.
 */
const shapesAbove = <V extends Value>(order: ReadonlyArray<AnalysisNode>, input: PassInput<V>): Array<ReadonlyArray<V> | undefined> => {
  const geometry = input.geometry
  const shape = geometry.bounds.slice() as Array<V>
  const out: Array<ReadonlyArray<V> | undefined> = new Array(order.length + 1)
  // Indexed loops and `slice` here and below: a template's analyses run mostly cold (before the
  // code is optimised), where an array iterator per `for...of` or spread costs about ten times
  // an indexed loop.
  // The extents since the last loop, once made (undefined: not made since).
  let current: ReadonlyArray<V> | undefined
  let afterSpatialLoop = false
  for (let i = 0; i < order.length; i++) {
    const node = order[i]!
    if (afterSpatialLoop || node.kind === "holder" || node.kind === "reservation") out[i] = current ??= shape.slice()
    afterSpatialLoop = node.kind === "loop" && node.spatial
    if (node.kind === "loop") {
      shape[geometry.indexOf.get(node.rankVariable)!] = input.tiles[node.order]!
      current = undefined
    }
  }
  if (afterSpatialLoop) out[order.length] = current ??= shape.slice()
  return out
}

/** For each node index, the level of the nearest holder of the tensor above it. */
const parentLevels = (order: ReadonlyArray<AnalysisNode>): Array<number | undefined> => {
  let last: number | undefined
  return order.map((node) => {
    const parent = last
    if (node.kind === "holder") last = node.level
    return parent
  })
}

const newBuffet = <V extends Value>(
  input: PassInput<V>,
  tensor: string,
  level: number,
  holder: HolderNode | undefined,
  parentLevel: number | undefined,
  occupancy: V
): Buffet<V> => {
  const nodes = input.pmapping.arch.nodes
  const networks = parentLevel === undefined ? [] : networksBetween(nodes, parentLevel, level)
  return {
    tensor, component: nodes[level]!.name, level, holder, parentLevel, stats: newStats<V>(), occupancy,
    hops: networks.map((l) => newHopStats<V>(nodes[l]!, l))
  }
}

/** The Compute performs one op per point: it reads every tensor once and writes the output. */
const computeBuffet = <V extends Value>(input: PassInput<V>, tensor: TensorGeometry, parentLevel: number | undefined): Buffet<V> => {
  const compute = input.pmapping.compute
  const b = newBuffet(input, tensor.name, compute.level, undefined, parentLevel, 0 as V)
  const s = b.stats
  const one = 1 as V
  if (!(input.copy && tensor.output)) s[F.readsToParent] = s[F.maxReadsToParent] = one
  if (tensor.output) {
    s[F.writesToParent] = s[F.maxWritesToParent] = one
    const component = input.pmapping.arch.nodes[compute.level]!
    if (component.skipInitialOutputWrite && !input.copy) s[F.skippedReadsToParent] = s[F.minSkippedReadsToParent] = one
  }
  return b
}

/** `s[to] += s2[from] × k` */
const addScaled = <V extends Value>(s: Stats<V>, to: number, from: V, k: number): void => {
  s[to] = add(s[to]!, mul(from, k))
}

/** A memory holder: fills from its parent, serves its child, writes outputs back. */
const applyStorage = <V extends Value>(
  input: PassInput<V>,
  b: Buffet<V>,
  child: Buffet<V> | undefined,
  tensor: TensorGeometry,
  fills: V,
  memory: ResolvedComponent
): void => {
  const ctx = input.pmapping.context
  const s = b.stats
  const skipInit = memory.skipInitialOutputWrite && !input.copy
  if (b.parentLevel !== undefined) {
    s[F.readsToParent] = add(s[F.readsToParent]!, fills)
    s[F.maxReadsToParent] = add(s[F.maxReadsToParent]!, fills)
    if (tensor.output) {
      s[F.writesToParent] = add(s[F.writesToParent]!, fills)
      s[F.maxWritesToParent] = add(s[F.maxWritesToParent]!, fills)
      if (skipInit) {
        s[F.skippedReadsToParent] = add(s[F.skippedReadsToParent]!, fills)
        s[F.minSkippedReadsToParent] = add(s[F.minSkippedReadsToParent]!, fills)
      }
    }
  }
  const rs = actionsPerValue(memory, "read", ctx, tensor.name)
  const ws = actionsPerValue(memory, "write", ctx, tensor.name)
  // Fills from the parent are writes here; writebacks to the parent are reads here.
  addScaled(s, F.writeActions, s[F.readsToParent]!, ws)
  addScaled(s, F.maxWriteActions, s[F.readsToParent]!, ws)
  addScaled(s, F.skippedWriteActions, s[F.skippedReadsToParent]!, ws)
  addScaled(s, F.minSkippedWriteActions, s[F.minSkippedReadsToParent]!, ws)
  addScaled(s, F.readActions, s[F.writesToParent]!, rs)
  addScaled(s, F.maxReadActions, s[F.writesToParent]!, rs)
  if (child === undefined) return
  const c = child.stats
  addScaled(s, F.readActions, c[F.readsToParent]!, rs)
  addScaled(s, F.maxReadActions, c[F.maxReadsToParent]!, rs)
  if (skipInit) {
    addScaled(s, F.skippedReadActions, c[F.skippedReadsToParent]!, rs)
    addScaled(s, F.minSkippedReadActions, c[F.minSkippedReadsToParent]!, rs)
  }
  addScaled(s, F.writeActions, c[F.writesToParent]!, ws)
  addScaled(s, F.maxWriteActions, c[F.maxWritesToParent]!, ws)
}

/**
 * A Toll: traffic passes through unchanged (no reuse), so its parent sees the child's
 * requests; it charges a read per value crossing it in its permitted direction.
 */
const applyToll = <V extends Value>(input: PassInput<V>, b: Buffet<V>, child: Buffet<V>, tensor: TensorGeometry, toll: ResolvedComponent): void => {
  const s = b.stats
  const c = child.stats
  for (let f = F.readsToParent; f <= F.minSkippedReadsToParent; f++) s[f] = c[f]!
  const rs = actionsPerValue(toll, "read", input.pmapping.context, tensor.name)
  const direction = toll.direction?.get(tensor.name) ?? "up_and_down"
  if (direction !== "up") {
    addScaled(s, F.readActions, c[F.readsToParent]!, rs)
    addScaled(s, F.maxReadActions, c[F.maxReadsToParent]!, rs)
    addScaled(s, F.skippedReadActions, c[F.skippedReadsToParent]!, rs)
    addScaled(s, F.minSkippedReadActions, c[F.minSkippedReadsToParent]!, rs)
  }
  if (direction !== "down") {
    addScaled(s, F.readActions, c[F.writesToParent]!, rs)
    addScaled(s, F.maxReadActions, c[F.maxWritesToParent]!, rs)
  }
}

const countOf = <V extends Value>(input: PassInput<V>, loop: LoopNode, relevant: boolean): V =>
  relevant ? input.counts.n[loop.order]! : input.counts.refetch[loop.order]!

export interface TensorPass<V extends Value = number> {
  /** One buffet per holder, innermost first. */
  readonly holders: ReadonlyArray<Buffet<V>>
  /** The Compute's pseudo-buffet (it carries the hops of networks between the Compute and its parent). */
  readonly compute: Buffet<V>
}

/** The walk's state: the tensor's node order, its shapes, and the buffets made so far (innermost first). */
interface Walk<V extends Value> {
  readonly input: PassInput<V>
  readonly order: ReadonlyArray<AnalysisNode>
  readonly tensor: TensorGeometry
  /** Made only where read (`shapesAbove`). */
  readonly shapes: ReadonlyArray<ReadonlyArray<V> | undefined>
  readonly parents: ReadonlyArray<number | undefined>
  readonly buffets: Array<Buffet<V>>
  readonly byHolder: Map<HolderNode, Buffet<V>>
  /** The last shape whose tile was taken, and its tile (a reservation right below its holder sees the holder's shape). */
  lastShape: ReadonlyArray<V> | undefined
  lastTile: V
}

/** The tensor's tile at one of the walk's shapes (`tileValues`, taken once for consecutive nodes that share the shape). */
const tileAt = <V extends Value>(w: Walk<V>, shape: ReadonlyArray<V>): V => {
  if (shape !== w.lastShape) {
    w.lastTile = tileValues(w.tensor, shape)
    w.lastShape = shape
  }
  return w.lastTile
}

/** A holder's buffet starts at its reservation, holding the tile there. */
const reserve = <V extends Value>(w: Walk<V>, holder: HolderNode, at: number): void => {
  const { input, tensor } = w
  const component = input.pmapping.arch.nodes[holder.level]!
  const occupancy = holder.toll
    ? (0 as V)
    : div(mul(tileAt(w, w.shapes[at]!), bitsPerValueAt(component, input.pmapping.context, tensor.name)), input.distribution.activeUnits(holder.level))
  const parent = holder.backing ? undefined : w.parents[w.order.indexOf(holder)]
  const b = newBuffet(input, tensor.name, holder.level, holder, parent, occupancy)
  w.buffets.push(b)
  w.byHolder.set(holder, b)
}

const applyTemporalLoop = <V extends Value>(buffets: ReadonlyArray<Buffet<V>>, n: V, relevant: boolean): void => {
  for (let i = 0; i < buffets.length; i++) {
    const b = buffets[i]!
    repeatTemporal(b.stats, n, relevant)
    for (let k = 0; k < b.hops.length; k++) repeatHops(b.hops[k]!, n)
  }
}

/** The holder's own transfers, once everything below it is counted. Its child is the buffet made just before its own. */
const applyHolder = <V extends Value>(w: Walk<V>, holder: HolderNode, at: number): void => {
  const b = w.byHolder.get(holder)!
  const index = w.buffets.indexOf(b)
  const child = index > 0 ? w.buffets[index - 1] : undefined
  const component = w.input.pmapping.arch.nodes[holder.level]!
  if (holder.toll) applyToll(w.input, b, child!, w.tensor, component)
  else applyStorage(w.input, b, child, w.tensor, tileAt(w, w.shapes[at]!), component)
}

/** Analyse one tensor over its node order, from the Compute up. */
export const analyzeTensor = <V extends Value>(input: PassInput<V>, order: ReadonlyArray<AnalysisNode>, tensorName: string): TensorPass<V> => {
  const tensor = input.geometry.tensors.get(tensorName)!
  const w: Walk<V> = {
    input, order, tensor, shapes: shapesAbove(order, input), parents: parentLevels(order), buffets: [], byHolder: new Map(),
    lastShape: undefined, lastTile: 0 as V
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!
    if (node.kind === "compute") w.buffets.push(computeBuffet(input, tensor, w.parents[i]))
    else if (node.kind === "reservation") reserve(w, node.holder, i)
    else if (node.kind === "holder") applyHolder(w, node, i)
    else {
      const relevancy = tensor.relevancy[input.geometry.indexOf.get(node.rankVariable)!]!
      const n = countOf(input, node, relevancy !== "irrelevant")
      if (node.spatial) applySpatialLoop(input, w.buffets, node, n, tensor, relevancy === "irrelevant", w.shapes[i + 1]!)
      else applyTemporalLoop(w.buffets, n, relevancy === "relevant")
    }
  }
  return { holders: w.buffets.filter((b) => b.holder !== undefined), compute: w.buffets[0]! }
}

const applySpatialLoop = <V extends Value>(
  input: PassInput<V>,
  buffets: ReadonlyArray<Buffet<V>>,
  loop: LoopNode,
  n: V,
  tensor: TensorGeometry,
  irrelevant: boolean,
  shapeBelow: ReadonlyArray<V>
): void => {
  const ctx = input.pmapping.context
  const owner = input.pmapping.arch.nodes[loop.level]!
  const dim = owner.spatial.find((s) => s.name === loop.dimension)!
  const shared = irrelevant && mayReuse(dim, ctx, tensor.name, owner.name)
  const outermost = buffets[buffets.length - 1]
  const key = `${loop.component}.${loop.dimension}`
  for (let i = 0; i < buffets.length; i++) {
    const b = buffets[i]!
    // Only the outermost buffet below the loop talks to a parent above it: one parent
    // transfer can then serve every instance.
    repeatSpatial(b.stats, n, shared && b === outermost)
    for (let k = 0; k < b.hops.length; k++) {
      const h = b.hops[k]!
      if (b === outermost && b.parentLevel !== undefined && loop.level > h.level) {
        const hop = h.network.actions.find((a) => a.name === "hop")
        const volume = div(mul(tileValues(tensor, shapeBelow), bitsPerValueAt(h.network, ctx, tensor.name)), hop?.bitsPerAction ?? 1)
        const sources = input.distribution.sourceUnits(b.parentLevel, loop.component!, loop.dimension!)
        addSpatialHops(h, key, n, volume, shared, sources)
      } else repeatHops(h, n)
    }
  }
}
