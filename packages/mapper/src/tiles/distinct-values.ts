/**
 * The distinct values of a step's chain parts (enumerate-tiles.ts: the out-of-reach check tries
 * each distinct part, ascending, not each chain).
 */

/** Distinct values `distinctAscending` collects by scanning, at most (past them it sorts every value). */
export const FEW_DISTINCT = 32

/**
 * The distinct values of `parts`, ascending. A dimension's chain parts are products of a few
 * loop counts: hundreds of chains, at most 15 distinct parts on eyeriss 6.7B prefill, so they
 * are collected by a scan against the ones met (chains come in runs of one part) and only
 * those are sorted, not every chain's.
 */
export const distinctAscending = (parts: Float64Array): Float64Array => {
  const found: Array<number> = []
  let last = NaN
  for (let x = 0; x < parts.length; x++) {
    const part = parts[x]!
    if (part === last) continue
    last = part
    if (found.includes(part)) continue
    if (found.length === FEW_DISTINCT) return sortedDistinct(parts)
    found.push(part)
  }
  return Float64Array.from(found).sort()
}

const sortedDistinct = (parts: Float64Array): Float64Array => {
  const sorted = parts.slice().sort()
  let n = 0
  for (let x = 0; x < sorted.length; x++) if (n === 0 || sorted[x] !== sorted[n - 1]) sorted[n++] = sorted[x]!
  return sorted.subarray(0, n)
}
