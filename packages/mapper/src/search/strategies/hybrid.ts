/**
 * Timeloop's `hybrid` (its default): a random index factorization, its superfluous permutations
 * pruned, and every remaining permutation visited in order before the next random
 * factorization. With `filter_revisits` a factorization is never drawn twice and the search
 * ends when every one has been visited.
 */
import type { SearchConfig } from "@effect-accelforge/core"
import type { MappingId } from "../../mapspace/einsum-mapspace.ts"
import type { Random } from "../random-source.ts"
import type { EinsumStrategyEntry, MapspaceView, SearchStrategy } from "./strategy.ts"

const make = (view: MapspaceView, config: SearchConfig, random: Random): SearchStrategy<MappingId> => {
  const visitedFactorizations = new Set<bigint>()
  let factorization = 0n
  let pruned: ReadonlyArray<number> = []
  let i = 0
  let done = view.factorizations === 0n
  const drawFactorization = () => {
    for (;;) {
      if (config.filter_revisits && BigInt(visitedFactorizations.size) >= view.factorizations) {
        done = true
        return
      }
      factorization = random.bigBelow(view.factorizations)
      if (!config.filter_revisits || !visitedFactorizations.has(factorization)) break
    }
    if (config.filter_revisits) visitedFactorizations.add(factorization)
    pruned = view.prunedPermutations(factorization)
    i = 0
  }
  if (!done) drawFactorization()
  return {
    next: () => (done ? undefined : { factorization, permutation: pruned[i]! }),
    report: () => {
      if (++i >= pruned.length) drawFactorization()
    }
  }
}

export const hybrid: EinsumStrategyEntry = {
  kind: "einsum",
  name: "hybrid",
  description: "Timeloop's default: random index factorizations, each with all of its non-superfluous permutations in order",
  knobs: ["filter_revisits", "seed"],
  make
}
