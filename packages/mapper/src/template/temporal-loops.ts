/**
 * Temporal loops between storage groups (FFM §2.4): which rank variables may loop in each gap,
 * after the no-recomputation rule and the optimality-preserving reductions, and their
 * canonical orders.
 */
import type { EinsumFacts } from "./einsum-facts.ts"
import type { StorageSlot } from "./template.ts"

export interface LoopOptions {
  readonly firstMemoryLevel: number
  readonly cumulativeFanout: ReadonlyArray<number>
  readonly computeFanout: number
  readonly maxFusedLoops: number
  readonly exploreLoopOrders: boolean
}

/**
 * Group 0: persistent nodes and first-memory nodes (no loop above them); then one group per node.
 * Group 0 is kept when empty (the first memory holds nothing of this Einsum, e.g. an Einsum of
 * on-chip intermediates only): loops may then sit above every node.
 */
export const storageGroups = (order: ReadonlyArray<StorageSlot>, facts: EinsumFacts, o: LoopOptions): Array<Array<StorageSlot>> => {
  // The ordering rules put these nodes first.
  let n = 0
  while (n < order.length && (order[n]!.persistent || order[n]!.level === o.firstMemoryLevel)) n++
  const top = order.slice(0, n)
  const groups: Array<Array<StorageSlot>> = [top]
  for (const s of order.slice(n)) {
    const last = groups[groups.length - 1]
    if (facts.isCopy && last !== undefined && last !== top && last[0]!.component === s.component) last.push(s)
    else groups.push([s])
  }
  return groups
}

const fullyRelevant = (facts: EinsumFacts, tensor: string) =>
  new Set(facts.rankVariables.filter((v) => facts.relevancy(v, tensor) === "relevant"))

/** Above every node nothing is stored yet, so only variables indexing every tensor (no recomputation). */
const outermostGapVariables = (facts: EinsumFacts, o: LoopOptions): Array<string> => {
  if (o.maxFusedLoops === 0 && facts.fusable.size > 0) return []
  return facts.rankVariables.filter((v) => facts.tensors.every((t) => facts.relevancy(v, t) === "relevant")).sort()
}

/** The rank variables allowed in the gap after group `g` (before group g+1, or the Compute). */
export const gapVariables = (
  groups: ReadonlyArray<ReadonlyArray<StorageSlot>>,
  g: number,
  facts: EinsumFacts,
  lastFusableBacking: number,
  o: LoopOptions
): Array<string> => {
  const group = groups[g]!
  const next = groups[g + 1]
  if (group.length === 0) return outermostGapVariables(facts, o)
  let allowed = new Set(facts.rankVariables)
  if (next?.some((s) => s.persistent)) return []
  if (facts.isCopy && groups.slice(g + 1).some((later) => later[0]!.component === group[0]!.component)) return []
  const stored = new Set(groups.slice(0, g + 1).flatMap((x) => x.map((s) => s.tensor)))
  for (const t of facts.tensors) {
    if (stored.has(t)) continue
    const keep = fullyRelevant(facts, t)
    allowed = new Set([...allowed].filter((v) => keep.has(v)))
  }
  if (o.maxFusedLoops === 0 && [...facts.fusable].some((t) => !stored.has(t))) return []

  // Skip the reductions where another level's spatial loops may land in this gap (§11 C).
  const above = groups.slice(0, g + 1).flat()
  const cur = o.cumulativeFanout[group[group.length - 1]!.level]!
  const nextFanout = next === undefined ? o.computeFanout : o.cumulativeFanout[next[0]!.level]!
  const maxBefore = Math.max(1, ...above.slice(0, -1).map((s) => o.cumulativeFanout[s.level]!))
  if (nextFanout < cur && maxBefore < cur) return [...allowed].sort()

  if (group.some((s) => s.toll)) return []
  for (const s of group) {
    if (s.backing) continue
    for (const v of fullyRelevant(facts, s.tensor)) allowed.delete(v)
  }
  const lastIndex = above.length - 1
  if (next !== undefined && lastIndex >= lastFusableBacking) {
    const nextTensor = next[0]!.tensor
    const partialAbove = (v: string) => [...stored].some((t) => facts.relevancy(v, t) === "partially-relevant")
    for (const v of [...allowed]) {
      if (facts.relevancy(v, nextTensor) === "irrelevant" && !partialAbove(v)) allowed.delete(v)
    }
  }
  return [...allowed].sort()
}

/**
 * Nodes of a group whose fill and reservation may move down through the loops below them
 * (§2.4 step 4): non-backing nodes always; a backing node outside the first memory when the
 * gap has a variable partially relevant to its tensor; never persistent nodes or Tolls.
 */
const lowerable = (s: StorageSlot, gap: ReadonlyArray<string>, facts: EinsumFacts, o: LoopOptions): boolean => {
  if (s.persistent || s.toll) return false
  if (!s.backing) return true
  return s.level !== o.firstMemoryLevel && gap.some((v) => facts.relevancy(v, s.tensor) === "partially-relevant")
}

/**
 * Canonical loop orders for one gap (§2.4 step 5): order only matters for a variable partially
 * relevant to the tensor of a node that can be lowered through it; each such variable may go
 * first, then the other ones (sorted), then the rest (sorted). Otherwise one alphabetical order.
 */
export const loopOrders = (
  variables: ReadonlyArray<string>,
  group: ReadonlyArray<StorageSlot>,
  facts: EinsumFacts,
  o: LoopOptions
): Array<Array<string>> => {
  const lowered = group.filter((s) => lowerable(s, variables, facts, o))
  const partial = variables.filter((v) => lowered.some((s) => facts.relevancy(v, s.tensor) === "partially-relevant"))
  if (partial.length === 0) return [[...variables]]
  const rest = variables.filter((v) => !partial.includes(v))
  const orders = partial.map((p) => [p, ...partial.filter((q) => q !== p), ...rest])
  return o.exploreLoopOrders ? orders : orders.slice(0, 1)
}
