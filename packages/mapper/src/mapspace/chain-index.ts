/**
 * Divisor chains by index, without listing them: the i-th chain of a rank variable's loops in
 * the order `divisorChains` lists them (ascending tiles, outermost first, innermost pinned to
 * 1). A mapspace of millions of tile shapes per variable is then an index range, as Timeloop's
 * index-factorization dimension is.
 */
import { divisors } from "../tiles/divisor-chains.ts"

const counts = new Map<number, number>()

/** Chains of `loops` loops over a variable of bound `bound` (memoized: the recursion revisits divisors). */
export const chainCount = (bound: number, loops: number): number => {
  if (loops <= 1) return 1
  const key = bound * 64 + loops
  const cached = counts.get(key)
  if (cached !== undefined) return cached
  let total = 0
  for (const d of divisors(bound)) total += chainCount(d, loops - 1)
  counts.set(key, total)
  return total
}

/**
 * Write chain `index` (0 ≤ index < chainCount) of `loops` loops over `bound` into `out` at the
 * positions `at[k]` (the variable's k-th loop, outermost first).
 */
export const writeChain = (bound: number, loops: number, index: number, out: Int32Array, at: ArrayLike<number>): void => {
  let outer = bound
  let rest = index
  for (let k = 0; k < loops - 1; k++) {
    for (const d of divisors(outer)) {
      const below = chainCount(d, loops - 1 - k)
      if (rest < below) {
        out[at[k]!] = d
        outer = d
        break
      }
      rest -= below
    }
  }
  if (loops > 0) out[at[loops - 1]!] = 1
}
