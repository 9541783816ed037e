/**
 * A search thread's slice of an Einsum's mapspace (Timeloop splits the index-factorization
 * dimension into contiguous ranges, one per thread), seen through the view a strategy gets.
 */
import type { EinsumMapspace } from "../../mapspace/einsum-mapspace.ts"
import type { MapspaceView } from "../strategies/strategy.ts"

/** Thread `t` of `n`: factorization ranks [start, end). */
export const sliceOf = (factorizations: bigint, t: number, n: number): { readonly start: bigint; readonly end: bigint } => ({
  start: (factorizations * BigInt(t)) / BigInt(n),
  end: (factorizations * BigInt(t + 1)) / BigInt(n)
})

export const sliceView = (mapspace: EinsumMapspace, start: bigint, end: bigint): MapspaceView => {
  let mappings = 0n
  let maxPermutations = 1
  for (const s of mapspace.structures) {
    const from = s.offset > start ? s.offset : start
    const to = s.offset + s.factorizations < end ? s.offset + s.factorizations : end
    if (to > from) mappings += (to - from) * BigInt(s.permutations.length)
    maxPermutations = Math.max(maxPermutations, s.permutations.length)
  }
  return {
    factorizations: end - start,
    mappings,
    maxPermutations,
    permutations: (f) => mapspace.permutations(start + f),
    prunedPermutations: (f) => mapspace.prunedPermutations(start + f)
  }
}
