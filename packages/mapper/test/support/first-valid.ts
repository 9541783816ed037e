/**
 * An example strategy (the README's "adding a strategy"): a linear search that stops at its
 * first valid mapping. It sees only its slice's shape and the outcome of each id it proposed.
 * To make it selectable by name, copy it into packages/mapper/src/search/strategies/ and add
 * it to STRATEGIES in registry.ts.
 */
import type { EinsumStrategyEntry, MapspaceView, MappingId, SearchStrategy } from "../../src/index.ts"

const make = (view: MapspaceView): SearchStrategy<MappingId> => {
  let factorization = 0n
  let permutation = 0
  let done = view.factorizations === 0n
  return {
    next: () => (done ? undefined : { factorization, permutation }),
    report: (status) => {
      if (status === "success") done = true
      else if (++permutation >= view.permutations(factorization)) {
        permutation = 0
        done = ++factorization >= view.factorizations
      }
    }
  }
}

export const firstValid: EinsumStrategyEntry = {
  kind: "einsum",
  name: "first-valid",
  description: "linear search that stops at the first valid mapping",
  knobs: [],
  make
}
