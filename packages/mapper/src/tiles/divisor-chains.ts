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
 * The tiles a loop may take above an inner tile `inner` (AccelForge's `tiling_coarseness` c,
 * FFM §3.4): the multiples of `inner` that divide `bound`, ascending, each kept only when it is
 * at least c × the last one kept (the first, `inner` itself, always is), plus `bound`.
 */
const coarseTiles = (inner: number, bound: number, coarseness: number): ReadonlySet<number> => {
  const kept: Array<number> = []
  for (const d of divisors(bound / inner)) {
    const tile = inner * d
    if (kept.length === 0 || tile >= coarseness * kept[kept.length - 1]!) kept.push(tile)
  }
  return new Set([...kept, bound])
}

/** Whether every tile of a chain (outermost first) is among its loop's coarse candidates. */
const coarseEnough = (chain: ReadonlyArray<number>, bound: number, coarseness: number): boolean => {
  for (let i = chain.length - 2; i >= 0; i--) if (!coarseTiles(chain[i + 1]!, bound, coarseness).has(chain[i]!)) return false
  return true
}

/**
 * Every divisor chain for `loops` loops over a variable of bound `bound`, outermost tile first,
 * the innermost pinned to 1, as a flat Int32Array of `loops` values per chain. Chains are in
 * ascending lexicographic order of their tiles, outermost first. With `coarseness` c > 1, only
 * the chains whose every tile is a coarse candidate above the next inner one.
 */
export const divisorChains = (bound: number, loops: number, coarseness = 1): Int32Array => {
  if (loops === 0) return new Int32Array(0)
  const out: Array<number> = []
  const chain = new Array<number>(loops).fill(1)
  const walk = (depth: number, outer: number) => {
    if (depth === loops - 1) {
      chain[depth] = 1
      if (coarseness <= 1 || coarseEnough(chain, bound, coarseness)) out.push(...chain)
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

/** Number of ordered divisor chains (the analytic mapspace size of §6.4 for perfect loops; coarse chains counted). */
export const countDivisorChains = (bound: number, loops: number, coarseness = 1): number => {
  if (loops <= 1) return 1
  const key = `${bound}/${loops}/${coarseness}`
  let count = chainCounts.get(key)
  if (count === undefined) {
    if (coarseness > 1) count = divisorChains(bound, loops, coarseness).length / loops
    else {
      count = 0
      for (const d of divisors(bound)) count += countDivisorChains(d, loops - 1)
    }
    chainCounts.set(key, count)
  }
  return count
}

/** Counts found so far: every template of a workload asks for the same few (and the recursion for the same sub-counts). */
const chainCounts = new Map<string, number>()

/**
 * How many tile shapes a template has before any rule prunes one (the search's `total`): per
 * rank variable, the divisor chains of its bound over its loops, multiplied. `loopVariables`:
 * each loop's rank variable, outermost first.
 */
export const templateTileShapes = (loopVariables: ReadonlyArray<string>, bounds: ReadonlyMap<string, number>, coarseness = 1): number => {
  const loops = new Map<string, number>()
  for (const v of loopVariables) loops.set(v, (loops.get(v) ?? 0) + 1)
  let product = 1
  for (const [v, n] of loops) product *= countDivisorChains(bounds.get(v) ?? 1, n, coarseness)
  return product
}
