import { stableArgsort } from "./argsort.ts"
import { mostDistinctFirst } from "./column-order.ts"
import { denseRanks } from "./dense-ranks.ts"

/** At most this many 32-bit words of bitsets per group (4 MiB); a larger group keeps the sorted filter. */
const MAX_WORDS = 1 << 20
/** At most this many distinct values over the other columns: a kept row sets a bit per value at or above its own. */
const MAX_VALUES = 4096

/**
 * Front of one group on four or more varying columns when the columns other than the most
 * distinct one (the "primary", the join's energy) take few values each (the join's latency and
 * reservation levels: tens of values). Rows are visited in lexicographic order, primary first
 * (every row after those that dominate or duplicate it), so every row kept before a row is no
 * worse on the primary, and the row is kept exactly when no earlier kept row is `≤` it on the
 * other columns. Per column and value, a bitset of the kept rows at most that value answers it:
 * the AND of the row's bitsets, one per column, is empty exactly when no kept row is `≤`
 * everywhere. The sorted filter's window orders rows by their sum, which the primary's scale
 * dominates, so its blocks' minima of the other columns hardly ever exclude a block; on the
 * join's groups, where most rows are kept, it compared nearly every pair.
 *
 * Returns false (nothing marked) when the other columns take too many values for this (many
 * distinct values: the bitsets' size and a kept row's updates grow with them).
 */
export const keepFrontByPrefixBitsets = (givenColumns: ReadonlyArray<Float64Array>, rows: Int32Array, keep: Uint8Array): boolean => {
  const [primary, ...others] = mostDistinctFirst(givenColumns, rows)
  const n = rows.length
  const words = (n + 31) >>> 5
  const ranks = others.map((column) => denseRanks(column, rows))
  let values = 0
  for (const r of ranks) values += r.distinct
  const total = values * words
  if (values > MAX_VALUES || total > MAX_WORDS) return false
  const width = others.length
  // Bitsets of column c start at `starts[c]`; the one of value rank v at `starts[c] + v * words`.
  const starts = new Int32Array(width)
  for (let c = 1; c < width; c++) starts[c] = starts[c - 1]! + ranks[c - 1]!.distinct * words
  const bits = new Uint32Array(total)
  const rowBase = new Int32Array(width)
  const order = primaryThenRanks(primary!, ranks, rows)
  let kept = 0
  for (let rank = 0; rank < n; rank++) {
    const position = order[rank]!
    for (let c = 0; c < width; c++) rowBase[c] = starts[c]! + ranks[c]!.codes[position]! * words
    if (someKeptBelow(bits, rowBase, width, (kept + 31) >>> 5)) continue
    // Kept row number `kept`: set its bit for its value and every larger value of each column.
    const word = kept >>> 5
    const bit = 1 << (kept & 31)
    for (let c = 0; c < width; c++) {
      const end = starts[c]! + ranks[c]!.distinct * words
      for (let at = rowBase[c]! + word; at < end; at += words) bits[at] = bits[at]! | bit
    }
    kept++
    keep[rows[position]!] = 1
  }
  return true
}

/** Whether the AND of the bitsets starting at `rowBase` has a bit set in its first `used` words. */
const someKeptBelow = (bits: Uint32Array, rowBase: Int32Array, width: number, used: number): boolean => {
  for (let w = 0; w < used; w++) {
    let all = bits[rowBase[0]! + w]!
    for (let c = 1; c < width && all !== 0; c++) all &= bits[rowBase[c]! + w]!
    if (all !== 0) return true
  }
  return false
}

/**
 * Positions into `rows` in lexicographic order, the primary first, then the other columns (by
 * their ranks, which order as their values), then position: one sort of the primary, and the
 * short runs of equal primaries sorted on the ranks.
 */
const primaryThenRanks = (primary: Float64Array, ranks: ReadonlyArray<{ readonly codes: Int32Array }>, rows: Int32Array): Int32Array => {
  const values = new Float64Array(rows.length)
  for (let p = 0; p < rows.length; p++) values[p] = primary[rows[p]!]!
  const order = stableArgsort(values)
  const byRanks = (x: number, y: number): number => {
    for (const r of ranks) {
      const d = r.codes[x]! - r.codes[y]!
      if (d !== 0) return d
    }
    return x - y
  }
  let start = 0
  while (start < order.length) {
    let end = start + 1
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++
    if (end - start > 1) order.subarray(start, end).sort(byRanks)
    start = end
  }
  return order
}
