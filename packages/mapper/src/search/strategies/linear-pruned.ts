/**
 * Timeloop's `linear-pruned`: the index factorizations in order and, for each, only the
 * permutations that are not superfluous for it. With the termination knobs at 0 it is an
 * exhaustive search that skips re-evaluating equal mappings.
 */
import type { MappingId } from "../../mapspace/einsum-mapspace.ts"
import type { EinsumStrategyEntry, MapspaceView, SearchStrategy } from "./strategy.ts"

const make = (view: MapspaceView): SearchStrategy<MappingId> => {
  let factorization = 0n
  let pruned = view.factorizations === 0n ? [] : view.prunedPermutations(0n)
  let i = 0
  return {
    next: () => (i < pruned.length ? { factorization, permutation: pruned[i]! } : undefined),
    report: () => {
      if (++i < pruned.length) return
      if (++factorization >= view.factorizations) return
      pruned = view.prunedPermutations(factorization)
      i = 0
    }
  }
}

export const linearPruned: EinsumStrategyEntry = {
  kind: "einsum",
  name: "linear-pruned",
  description: "Timeloop's linear search over index factorizations, visiting only the non-superfluous permutations of each",
  knobs: [],
  make
}
