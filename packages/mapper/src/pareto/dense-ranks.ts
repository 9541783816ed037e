import { stableArgsort } from "./argsort.ts"
import { valueCodes } from "./value-codes.ts"

/** Below this many rows the values are sorted as they are and ranks found by bisection (the argsort's comparator costs more). */
const BISECT_BELOW = 256

export interface DenseRanks {
  /** Per position of `rows`: the rank of its value among the distinct values there (equal values, `-0` and `+0` too, share one). */
  readonly codes: Int32Array
  readonly distinct: number
}

/**
 * Per position of `rows`, the rank of its column value among the column's distinct values
 * there. The prefix bitsets' groups of partial tile rows are mostly small (a hundred rows, a
 * dozen columns each): there a plain sort of the values and a bisection per row is twice as
 * fast as an argsort with a comparator, and gives the same ranks. Larger ones find their
 * distinct values by hashing and sort those alone.
 */
export const denseRanks = (column: Float64Array, rows: Int32Array): DenseRanks => {
  const values = new Float64Array(rows.length)
  for (let p = 0; p < rows.length; p++) values[p] = column[rows[p]!]!
  return rows.length < BISECT_BELOW ? ranksByBisection(values) : ranksOfDistinctValues(values)
}

/**
 * The distinct values found by hashing (value-codes.ts), then only they sorted: the columns of
 * partial tile rows have a few thousand rows and mostly tens of values, where sorting every
 * row's value cost three times as much.
 */
const ranksOfDistinctValues = (values: Float64Array): DenseRanks => {
  const { codes, distinctValues } = valueCodes(values)
  const order = stableArgsort(distinctValues)
  const rankOf = new Int32Array(order.length)
  for (let rank = 0; rank < order.length; rank++) rankOf[order[rank]!] = rank
  for (let p = 0; p < codes.length; p++) codes[p] = rankOf[codes[p]!]!
  return { codes, distinct: order.length }
}

const ranksByBisection = (values: Float64Array): DenseRanks => {
  const n = values.length
  // The distinct values, ascending, at the front of a sorted copy.
  const sorted = values.slice().sort()
  let distinct = 0
  for (let i = 0; i < n; i++) if (distinct === 0 || sorted[i] !== sorted[distinct - 1]) sorted[distinct++] = sorted[i]!
  const codes = new Int32Array(n)
  for (let p = 0; p < n; p++) {
    const v = values[p]!
    let low = 0
    let high = distinct - 1
    while (low < high) {
      const middle = (low + high) >>> 1
      if (sorted[middle]! < v) low = middle + 1
      else high = middle
    }
    codes[p] = low
  }
  return { codes, distinct }
}
