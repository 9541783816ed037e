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

/** Clears `allowed[i]` for each rank variable i not fully relevant to `tensor`. */
const keepFullyRelevant = (allowed: Array<boolean>, facts: EinsumFacts, tensor: string): void => {
  const variables = facts.rankVariables
  for (let i = 0; i < variables.length; i++) if (allowed[i] && facts.relevancy(variables[i]!, tensor) !== "relevant") allowed[i] = false
}

/** The rank variables still allowed, in their (sorted) order. */
const allowedVariables = (allowed: ReadonlyArray<boolean>, facts: EinsumFacts): Array<string> => {
  const out: Array<string> = []
  for (let i = 0; i < allowed.length; i++) if (allowed[i]) out.push(facts.rankVariables[i]!)
  return out
}

/** Above every node nothing is stored yet, so only variables indexing every tensor (no recomputation). */
const outermostGapVariables = (facts: EinsumFacts, o: LoopOptions): Array<string> => {
  if (o.maxFusedLoops === 0 && facts.fusable.size > 0) return []
  const allowed = facts.rankVariables.map(() => true)
  for (const t of facts.tensors) keepFullyRelevant(allowed, facts, t)
  return allowedVariables(allowed, facts)
}

/**
 * The rank variables allowed in the gap after group `g` (before group g+1, or the Compute).
 * Plain loops over one flag per rank variable: this runs cold, a few times per template, on
 * every search's clock (sets, spreads and closures made it 30 us a call). `facts.rankVariables`
 * is sorted, so the flags read in order are the allowed variables sorted.
 */
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
  if (next !== undefined && next.some((s) => s.persistent)) return []
  if (facts.isCopy) {
    for (let later = g + 1; later < groups.length; later++) if (groups[later]![0]!.component === group[0]!.component) return []
  }
  // The tensors stored at or above this gap, and the nodes there (`above`, outermost first).
  const stored = new Set<string>()
  let aboveCount = 0
  let maxBefore = 1
  for (let h = 0; h <= g; h++) {
    const nodes = groups[h]!
    for (let k = 0; k < nodes.length; k++) {
      stored.add(nodes[k]!.tensor)
      const last = h === g && k === nodes.length - 1
      if (!last) maxBefore = Math.max(maxBefore, o.cumulativeFanout[nodes[k]!.level]!)
      aboveCount++
    }
  }
  const allowed = facts.rankVariables.map(() => true)
  for (const t of facts.tensors) if (!stored.has(t)) keepFullyRelevant(allowed, facts, t)
  if (o.maxFusedLoops === 0) {
    for (const t of facts.fusable) if (!stored.has(t)) return []
  }

  // Skip the reductions where another level's spatial loops may land in this gap (§11 C).
  const cur = o.cumulativeFanout[group[group.length - 1]!.level]!
  const nextFanout = next === undefined ? o.computeFanout : o.cumulativeFanout[next[0]!.level]!
  if (nextFanout < cur && maxBefore < cur) return allowedVariables(allowed, facts)

  if (group.some((s) => s.toll)) return []
  const variables = facts.rankVariables
  for (const s of group) {
    if (s.backing) continue
    for (let i = 0; i < variables.length; i++) if (facts.relevancy(variables[i]!, s.tensor) === "relevant") allowed[i] = false
  }
  if (next !== undefined && aboveCount - 1 >= lastFusableBacking) {
    const nextTensor = next[0]!.tensor
    for (let i = 0; i < variables.length; i++) {
      if (!allowed[i] || facts.relevancy(variables[i]!, nextTensor) !== "irrelevant") continue
      let partialAbove = false
      for (const t of stored) if (facts.relevancy(variables[i]!, t) === "partially-relevant") partialAbove = true
      if (!partialAbove) allowed[i] = false
    }
  }
  return allowedVariables(allowed, facts)
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
