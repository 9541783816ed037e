import { stableArgsort } from "./argsort.ts"
import { mostDistinctFirst } from "./column-order.ts"
import { type DenseRanks, denseRanks } from "./dense-ranks.ts"
import { packedMap } from "./packed-map.ts"

/** At most this many 32-bit words of bitsets per group (4 MiB); a larger group keeps the sorted filter. */
const MAX_WORDS = 1 << 20
/** At most this many distinct values over the other columns: a kept row sets a bit per value at or above its own. */
const MAX_VALUES = 4096

/**
 * Front of one group on four or more varying columns when the columns other than the most
 * distinct one (the "primary", the join's energy) take few values each (the join's latency and
 * reservation levels: tens of values). Rows are visited in lexicographic order, primary first,
 * so a row that is `≤` another everywhere, or an earlier copy of it, comes before it, and is
 * no worse on the primary: a row is kept exactly when no row before it is `≤` it on the other
 * columns. Per column and value, a bitset of the rows (by place in that order) at most that
 * value answers it: the AND of the row's bitsets, one per column, over the places before its
 * own, is empty exactly when no earlier row is `≤` everywhere. The sorted filter's window
 * orders rows by their sum, which the primary's scale dominates, so its blocks' minima of the
 * other columns hardly ever exclude a block; on the join's groups, where most rows are kept,
 * it compared nearly every pair.
 *
 * The bitsets hold every row, not only the kept ones (a row some earlier row is `≤` is also
 * dropped), so they are built once, column by column, one bit per row and then an OR of each
 * value's set into the next: a bitset's words are written once, where adding each kept row to
 * the sets of every value at or above its own wrote a word per value and column, most of the
 * pass over partial tile rows (which keep nearly all of their rows).
 *
 * Returns false (nothing marked) when the other columns take too many values for this (many
 * distinct values: the bitsets' size grows with them).
 */
export const keepFrontByPrefixBitsets = (givenColumns: ReadonlyArray<Float64Array>, rows: Int32Array, keep: Uint8Array): boolean => {
  const [primary, ...others] = mostDistinctFirst(givenColumns, rows)
  const n = rows.length
  const words = (n + 31) >>> 5
  // Not `others.map`: a second array kind here (packed-map.ts) cost a deopt and a recompile of this function, which inlines much of pareto/, in most runs.
  const ranks = packedMap(others, (column) => denseRanks(column, rows))
  let values = 0
  for (const r of ranks) values += r.distinct
  const total = values * words
  if (values > MAX_VALUES || total > MAX_WORDS) return false
  const width = others.length
  // Bitsets of column c start at `starts[c]`; the one of value rank v at `starts[c] + v * words`.
  const starts = new Int32Array(width)
  for (let c = 1; c < width; c++) starts[c] = starts[c - 1]! + ranks[c - 1]!.distinct * words
  const order = primaryThenRanks(primary!, ranks, rows)
  const bits = atMostBitsets(ranks, order, starts, words, total)
  const rowBase = new Int32Array(width)
  for (let place = 0; place < n; place++) {
    const position = order[place]!
    for (let c = 0; c < width; c++) rowBase[c] = starts[c]! + ranks[c]!.codes[position]! * words
    if (!someEarlierAtMost(bits, rowBase, width, place)) keep[rows[position]!] = 1
  }
  return true
}

/**
 * Per column and value rank, the bitset of the places in `order` whose rank there is at most that
 * value. The inner loops are functions of their own: V8 compiled one on the stack (OSR) as an
 * inner loop, and that code left for the interpreter each time the loop ended (26 deopts in a run).
 */
const atMostBitsets = (ranks: ReadonlyArray<DenseRanks>, order: Int32Array, starts: Int32Array, words: number, total: number): Uint32Array => {
  const bits = new Uint32Array(total)
  for (let c = 0; c < ranks.length; c++) {
    const { codes, distinct } = ranks[c]!
    setPlaceBits(bits, codes, order, starts[c]!, words)
    orIntoNextValue(bits, starts[c]!, distinct, words)
  }
  return bits
}

/** Sets each place's bit in the bitset of its own value (column starting at `start`). */
const setPlaceBits = (bits: Uint32Array, codes: Int32Array, order: Int32Array, start: number, words: number): void => {
  for (let place = 0; place < order.length; place++) {
    const at = start + codes[order[place]!]! * words + (place >>> 5)
    bits[at] = bits[at]! | (1 << (place & 31))
  }
}

/** ORs each value's bitset into the next value's: a bitset then holds every place at most its value. */
const orIntoNextValue = (bits: Uint32Array, start: number, distinct: number, words: number): void => {
  for (let at = start + words; at < start + distinct * words; at++) bits[at] = bits[at]! | bits[at - words]!
}

/** Whether the AND of the bitsets starting at `rowBase` has a bit set at a place before `place`. */
const someEarlierAtMost = (bits: Uint32Array, rowBase: Int32Array, width: number, place: number): boolean => {
  const full = place >>> 5
  for (let w = 0; w < full; w++) {
    let all = bits[rowBase[0]! + w]!
    for (let c = 1; c < width && all !== 0; c++) all &= bits[rowBase[c]! + w]!
    if (all !== 0) return true
  }
  const rest = place & 31
  if (rest === 0) return false
  let all = (0xffffffff >>> (32 - rest)) & bits[rowBase[0]! + full]!
  for (let c = 1; c < width && all !== 0; c++) all &= bits[rowBase[c]! + full]!
  return all !== 0
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
