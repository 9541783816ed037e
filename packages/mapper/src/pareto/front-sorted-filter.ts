import { stableArgsort } from "./argsort.ts"
import { mostDistinctFirst } from "./column-order.ts"
import { DominanceWindow } from "./dominance-window.ts"

/**
 * Front of one group on three or more objectives: sort-filter-skyline (SFS) with block-nested
 * loops. Rows are visited in an order where every row comes after all rows that dominate or
 * duplicate it, so a row is on the front exactly when no earlier front row is `≤` it
 * everywhere, and the window of front rows never has to shrink.
 *
 * The order is by row sum: a dominating row has a smaller or equal sum, and rows with small
 * sums tend to dominate many others, so they reject them early. Ties are broken by the values,
 * then by row order, which makes the first of several identical rows the one kept. Columns
 * are compared most distinct first (column-order.ts); the kept rows do not depend on it.
 */
export const keepFrontBySortedFilter = (
  givenColumns: ReadonlyArray<Float64Array>,
  rows: Int32Array,
  keep: Uint8Array
): void => {
  const columns = mostDistinctFirst(givenColumns, rows)
  const width = columns.length
  const order = dominanceCompatibleOrder(columns, rows)
  const window = new DominanceWindow(width, rows.length)
  const candidate = new Float64Array(width)
  for (let rank = 0; rank < order.length; rank++) {
    const row = rows[order[rank]!]!
    for (let column = 0; column < width; column++) candidate[column] = columns[column]![row]!
    if (window.isWeaklyDominated(candidate)) continue
    window.add(candidate)
    keep[row] = 1
  }
}

interface RowSums {
  readonly sums: Float64Array
  /** 1 where the floating-point sum equals the exact sum. */
  readonly isExact: Uint8Array
}

/**
 * Positions into `rows`, sorted by (sum, columns lexicographically, position).
 *
 * In floating point a dominating row can have the *same* sum as the row it dominates
 * (`1e20 + 1 === 1e20 + 2`) and must still come first, hence the lexicographic tie-break.
 * When every sum in a run of ties is exact, no row of the run can dominate another (it would
 * have a strictly smaller exact sum), so the run is already in a valid order; this skips the
 * comparison sort for integer-valued data, where ties are everywhere. A run of copies of one
 * vector (frequent in mapper tables) is also in a valid order already.
 */
const dominanceCompatibleOrder = (columns: ReadonlyArray<Float64Array>, rows: Int32Array): Int32Array => {
  const { sums, isExact } = rowSums(columns, rows)
  const order = stableArgsort(sums)
  const compareLexicographically = (left: number, right: number): number => {
    for (const column of columns) {
      const leftValue = column[rows[left]!]!
      const rightValue = column[rows[right]!]!
      if (leftValue !== rightValue) return leftValue < rightValue ? -1 : 1
    }
    return left - right
  }
  let runStart = 0
  while (runStart < order.length) {
    const runSum = sums[order[runStart]!]!
    let runIsExact = isExact[order[runStart]!] === 1
    let runEnd = runStart + 1
    for (; runEnd < order.length && sums[order[runEnd]!] === runSum; runEnd++) {
      if (isExact[order[runEnd]!] === 0) runIsExact = false
    }
    if (runEnd - runStart > 1 && !runIsExact) {
      const run = order.subarray(runStart, runEnd)
      if (!allSameVector(columns, rows, run)) run.sort(compareLexicographically)
    }
    runStart = runEnd
  }
  return order
}

const allSameVector = (columns: ReadonlyArray<Float64Array>, rows: Int32Array, positions: Int32Array): boolean => {
  const first = rows[positions[0]!]!
  for (const column of columns) {
    const value = column[first]
    for (let index = 1; index < positions.length; index++) {
      if (column[rows[positions[index]!]!] !== value) return false
    }
  }
  return true
}

/**
 * Row sums of the compared columns, each addition checked with Knuth's TwoSum (its rounding
 * error is zero iff the addition was exact; infinities give NaN and count as inexact).
 * Opposite infinities make a sum NaN, which cannot be ordered; then every sum is set to 0 and
 * marked inexact, so the order is purely lexicographic (still valid, only slower to filter).
 */
const rowSums = (columns: ReadonlyArray<Float64Array>, rows: Int32Array): RowSums => {
  const sums = new Float64Array(rows.length)
  const isExact = new Uint8Array(rows.length).fill(1)
  for (const column of columns) {
    for (let position = 0; position < rows.length; position++) {
      const previous = sums[position]!
      const addend = column[rows[position]!]!
      const sum = previous + addend
      const addendPart = sum - previous
      const roundingError = (previous - (sum - addendPart)) + (addend - addendPart)
      if (roundingError !== 0) isExact[position] = 0
      sums[position] = sum
    }
  }
  for (let position = 0; position < rows.length; position++) {
    if (Number.isNaN(sums[position]!)) return { sums: sums.fill(0), isExact: isExact.fill(0) }
  }
  return { sums, isExact }
}
