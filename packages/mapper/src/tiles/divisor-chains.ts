/**
 * Tile-shape candidates (FFM §3.4, perfect factorization): a rank variable with `k` loops
 * gets tiles `bound ≥ t1 ≥ … ≥ tk = 1` where each tile divides the one above it (a divisor
 * chain). Equal neighbouring tiles mean the inner loop runs once, so one template covers every
 * subset of its loops.
 */

const divisorCache = new Map<number, ReadonlyArray<number>>()

/** Divisors of n, ascending. */
export const divisors = (n: number): ReadonlyArray<number> => {
  const cached = divisorCache.get(n)
  if (cached !== undefined) return cached
  const small: Array<number> = []
  const large: Array<number> = []
  for (let d = 1; d * d <= n; d++) {
    if (n % d !== 0) continue
    small.push(d)
    if (d * d !== n) large.push(n / d)
  }
  const out = [...small, ...large.reverse()]
  divisorCache.set(n, out)
  return out
}

/**
 * Every divisor chain for `loops` loops over a variable of bound `bound`, outermost tile first,
 * the innermost pinned to 1, as a flat Int32Array of `loops` values per chain. Chains are in
 * ascending lexicographic order of their tiles, outermost first.
 */
export const divisorChains = (bound: number, loops: number): Int32Array => {
  if (loops === 0) return new Int32Array(0)
  const out: Array<number> = []
  const chain = new Array<number>(loops).fill(1)
  const walk = (depth: number, outer: number) => {
    if (depth === loops - 1) {
      chain[depth] = 1
      out.push(...chain)
      return
    }
    for (const d of divisors(outer)) {
      chain[depth] = d
      walk(depth + 1, d)
    }
  }
  walk(0, bound)
  return Int32Array.from(out)
}

/** Number of ordered divisor chains (the analytic mapspace size of §6.4 for perfect loops). */
export const countDivisorChains = (bound: number, loops: number): number => {
  if (loops <= 1) return 1
  let total = 0
  for (const d of divisors(bound)) total += countDivisorChains(d, loops - 1)
  return total
}
