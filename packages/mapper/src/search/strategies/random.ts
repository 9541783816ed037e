/**
 * Timeloop's `random`: each mapping drawn at random, one dimension at a time (a factorization
 * uniformly, then one of its permutations uniformly). With `filter_revisits` a mapping already
 * drawn is drawn again until a new one comes up (kept in a set, as Timeloop does), and the
 * search ends when the slice is used up.
 */
import type { SearchConfig } from "@effect-accelforge/core"
import type { MappingId } from "../../mapspace/einsum-mapspace.ts"
import type { Random } from "../random-source.ts"
import type { EinsumStrategyEntry, MapspaceView, SearchStrategy } from "./strategy.ts"

const make = (view: MapspaceView, config: SearchConfig, random: Random): SearchStrategy<MappingId> => {
  const visited = new Set<bigint>()
  const width = BigInt(view.maxPermutations)
  const draw = (): MappingId | undefined => {
    if (view.factorizations === 0n) return undefined
    for (;;) {
      if (config.filter_revisits && BigInt(visited.size) >= view.mappings) return undefined
      const factorization = random.bigBelow(view.factorizations)
      const permutation = random.below(view.permutations(factorization))
      if (!config.filter_revisits) return { factorization, permutation }
      const key = factorization * width + BigInt(permutation)
      if (visited.has(key)) continue
      visited.add(key)
      return { factorization, permutation }
    }
  }
  let current = draw()
  return {
    next: () => current,
    report: () => {
      current = draw()
    }
  }
}

export const random: EinsumStrategyEntry = {
  kind: "einsum",
  name: "random",
  description: "Timeloop's random sampling of the mapspace (filter_revisits avoids drawing a mapping twice)",
  knobs: ["filter_revisits", "seed"],
  make
}
