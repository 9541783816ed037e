/**
 * Timeloop's `random-pruned`: a random index factorization, its superfluous permutations pruned,
 * then up to `max_permutations_per_if_visit` random draws among the rest (with replacement, as
 * Timeloop draws them) before the next random factorization.
 */
import type { SearchConfig } from "@effect-accelforge/core"
import type { MappingId } from "../../mapspace/einsum-mapspace.ts"
import type { Random } from "../random-source.ts"
import type { EinsumStrategyEntry, MapspaceView, SearchStrategy } from "./strategy.ts"

const make = (view: MapspaceView, config: SearchConfig, random: Random): SearchStrategy<MappingId> => {
  let factorization = 0n
  let pruned: ReadonlyArray<number> = []
  let toVisit = 0
  let visited = 0
  const visitFactorization = () => {
    factorization = random.bigBelow(view.factorizations)
    pruned = view.prunedPermutations(factorization)
    toVisit = Math.min(config.max_permutations_per_if_visit, pruned.length)
    visited = 0
  }
  if (view.factorizations > 0n) visitFactorization()
  let current: MappingId | undefined = view.factorizations === 0n ? undefined : { factorization, permutation: pruned[random.below(pruned.length)]! }
  return {
    next: () => current,
    report: () => {
      if (++visited >= toVisit) visitFactorization()
      current = { factorization, permutation: pruned[random.below(pruned.length)]! }
    }
  }
}

export const randomPruned: EinsumStrategyEntry = {
  kind: "einsum",
  name: "random-pruned",
  description: "Timeloop's random index factorizations, each with up to max_permutations_per_if_visit random non-superfluous permutations",
  knobs: ["max_permutations_per_if_visit", "seed"],
  make
}
