/**
 * Timeloop's `exhaustive`: every mapping of the slice in order, permutations innermost, the
 * superfluous ones included (so it re-evaluates mappings that differ only in where unit loops
 * sit). With `timeout`, `victory_condition` and `search_size` at 0 it visits the whole slice.
 */
import type { MappingId } from "../../mapspace/einsum-mapspace.ts"
import type { EinsumStrategyEntry, MapspaceView, SearchStrategy } from "./strategy.ts"

const make = (view: MapspaceView): SearchStrategy<MappingId> => {
  let factorization = 0n
  let permutation = 0
  let done = view.factorizations === 0n
  return {
    next: () => (done ? undefined : { factorization, permutation }),
    report: () => {
      if (++permutation < view.permutations(factorization)) return
      permutation = 0
      if (++factorization >= view.factorizations) done = true
    }
  }
}

export const exhaustive: EinsumStrategyEntry = {
  kind: "einsum",
  name: "exhaustive",
  description: "Timeloop's linear search through every mapping (superfluous permutations included)",
  knobs: [],
  make
}
