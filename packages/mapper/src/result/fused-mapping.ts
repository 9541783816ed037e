/**
 * From a joined row back to one LoopTree (`mapping:` format). Each Einsum's pmapping is its
 * template with the row's tile shapes. Einsums that share fused loops hang under one copy of
 * those loops: the storage nodes each of them places above a shared loop go above it (a node
 * two Einsums both have, such as a shared tensor's backing buffer, appears once), and below
 * the loop a `Sequential` lists their branches in workload order. A loop of one iteration is
 * not shared: it stays in its Einsum's own branch.
 *
 * When the Einsums name the shared rank with different variables, the loop's `rank_variable`
 * is the set `{a, b}` and each Einsum uses its own (the model resolves it).
 */
import type { Mapping, MappingNode, SpatialNode, TemporalNode } from "@effect-accelforge/core"
import type { MappingSource } from "@effect-accelforge/model"
import { rowMappingNodes } from "../evaluate/evaluate-row.ts"
import type { PmappingTable } from "../generate/pmapping-table.ts"
import { rowOfId } from "../join/join-pmappings.ts"
import type { LoopSlot } from "../template/template.ts"
import { templateLoopCounter } from "../tiles/enumerate-tiles.ts"

/** One Einsum's chosen pmapping as a chain, with where its shared loops sit. */
export interface EinsumChain {
  readonly einsum: string
  readonly nodes: ReadonlyArray<MappingNode>
  /** Node indices of its fused loops of more than one iteration, outermost first. */
  readonly fusedAt: ReadonlyArray<number>
  /** Fused loops it shares with the Einsum before it (0 for the first). */
  readonly attach: number
  /** The tensors it accesses (absent: unknown, and a storage node shared by branches is hoisted as before). */
  readonly tensors?: ReadonlyArray<string>
}

export const einsumChain = (table: PmappingTable, rowId: number, attach: number): EinsumChain => {
  const { group, row } = rowOfId(table, rowId)
  const template = table.templates[group.template[row]!]!
  const offset = group.tileOffset[row]!
  const nodes = rowMappingNodes(template, group.tiles, offset)
  const loops = template.loopPositions.map((p) => template.nodes[p] as LoopSlot)
  const counts = templateLoopCounter(template, template.context.einsum.bounds)(group.tiles, offset)
  const fusedAt = template.loopPositions.filter((_, i) => loops[i]!.fused && counts[i] !== 1)
  return { einsum: table.einsum, nodes, fusedAt, attach, tensors: template.context.einsum.accesses.map((a) => a.tensor) }
}

/** A node's identity for "the same node" (one buffer written by two Einsums): its full text, written once per node. */
const nodeKeys = new WeakMap<MappingNode, string>()
const keyOf = (n: MappingNode): string => {
  let key = nodeKeys.get(n)
  if (key === undefined) nodeKeys.set(n, (key = JSON.stringify(n)))
  return key
}

/** Where a chain's part below its first `k` shared loops starts. */
const startAt = (c: EinsumChain, k: number): number => (k === 0 ? 0 : c.fusedAt[k - 1]! + 1)

/**
 * The storage nodes each member places between its k-th and (k+1)-th shared loop (duplicates
 * once). Loops there run once (every loop above a shared one is fused, and the fused loops of
 * more than one iteration are the shared ones), so they are left out: above the split every
 * Einsum would see them, and a rank variable of one Einsum means nothing to another.
 */
const prefixNodes = (run: ReadonlyArray<EinsumChain>, k: number): Array<MappingNode> => {
  const out: Array<MappingNode> = []
  const written = new Set<string>()
  for (const c of run) {
    for (const n of c.nodes.slice(startAt(c, k), c.fusedAt[k]!)) {
      if (n.$tag === "Temporal" || n.$tag === "Spatial" || written.has(keyOf(n))) continue
      written.add(keyOf(n))
      out.push(n)
    }
  }
  return out
}

/** The (k+1)-th shared loop, written once for the whole run. */
const sharedLoop = (run: ReadonlyArray<EinsumChain>, k: number): MappingNode => {
  const loops = run.map((c) => c.nodes[c.fusedAt[k]!]! as TemporalNode | SpatialNode)
  const variables = [...new Set(loops.map((l) => l.rank_variable))]
  return variables.length === 1 ? loops[0]! : { ...loops[0]!, rank_variable: `{${variables.join(", ")}}` }
}

/** Consecutive members split where one shares no more than `k` loops with the one before. */
const runsSharing = (members: ReadonlyArray<EinsumChain>, k: number): Array<Array<EinsumChain>> => {
  const runs: Array<Array<EinsumChain>> = []
  members.forEach((c, i) => {
    if (i === 0 || c.attach <= k) runs.push([c])
    else runs[runs.length - 1]!.push(c)
  })
  return runs
}

/** The nodes of a scope whose members all share their first `k` loops (already written above). */
const scopeNodes = (members: ReadonlyArray<EinsumChain>, k: number): Array<MappingNode> => {
  if (members.length === 1) return members[0]!.nodes.slice(startAt(members[0]!, k))
  const runs = runsSharing(members, k)
  const branches = runs.map((run) =>
    run.length === 1 ? scopeNodes(run, k) : [...prefixNodes(run, k), sharedLoop(run, k), ...scopeNodes(run, k + 1)]
  )
  if (branches.length === 1) return branches[0]!
  const shared = hoistedStorage(branches, runs.map((run) => new Set(run.flatMap((c) => c.tensors ?? []))))
  const hoisted = new Set(shared.map(keyOf))
  const rest = branches.map((b) => b.filter((n) => !hoisted.has(keyOf(n))))
  return [...shared, { $tag: "Sequential", nodes: rest.map((nodes): MappingNode => ({ $tag: "Nested", nodes })) }]
}

/**
 * Storage nodes that two or more branches place first (before any loop of their own): the
 * buffer of a tensor they share. It is one buffer, so it goes above the split, once. Each
 * Einsum still sees the same holders above the same loops: a node stays in its branches when
 * another branch uses its tensor without it (that branch would read through it above the split).
 */
export const hoistedStorage = (branches: ReadonlyArray<ReadonlyArray<MappingNode>>, users: ReadonlyArray<ReadonlySet<string>>): Array<MappingNode> => {
  // Counted once per node over all branches (a chain of 256 Einsums compared every pair of branches: 1.7 s).
  const leaders = new Map<string, Array<number>>()
  const firstLeading: Array<MappingNode> = []
  branches.forEach((b, j) => {
    const firstLoop = b.findIndex((n) => n.$tag !== "Storage" && n.$tag !== "Toll")
    for (const n of b.slice(0, firstLoop < 0 ? b.length : firstLoop)) {
      if (n.$tag !== "Storage") continue
      const led = leaders.get(keyOf(n))
      if (led === undefined) {
        leaders.set(keyOf(n), [j])
        firstLeading.push(n)
      } else if (led[led.length - 1] !== j) led.push(j)
    }
  })
  const holders = new Map<string, number>()
  for (const b of branches) for (const key of new Set(b.map(keyOf))) holders.set(key, (holders.get(key) ?? 0) + 1)
  const usersOf = new Map<string, number>()
  for (const used of users) for (const t of used) usersOf.set(t, (usersOf.get(t) ?? 0) + 1)
  return firstLeading.filter((n) => {
    const led = leaders.get(keyOf(n))!
    // Placed anywhere but first by a branch: it cannot go above the split.
    const elsewhere = holders.get(keyOf(n))! > led.length
    const tensors = n.$tag !== "Storage" ? [] : typeof n.tensors === "string" ? [n.tensors] : n.tensors
    const unheld = tensors.some((t) => (usersOf.get(t) ?? 0) > led.reduce((sum, j) => sum + (users[j]!.has(t) ? 1 : 0), 0))
    return led.length > 1 && !elsewhere && !unheld
  })
}

export const fusedMapping = (chains: ReadonlyArray<EinsumChain>): MappingSource => {
  const nodes = scopeNodes(chains, 0)
  const mapping: Mapping = { nodes }
  return { mapping, root: { mapping } }
}
