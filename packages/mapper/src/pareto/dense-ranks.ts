import { stableArgsort } from "./argsort.ts"
import { valueCodes } from "./value-codes.ts"

/** Below this many rows the values are sorted as they are and ranks found by bisection (hashing them first costs more). */
const BISECT_BELOW = 32
/** From this many distinct values on they are ranked by a radix argsort (linear) instead of a sort and a bisection each. */
const ARGSORT_FROM = 256

export interface DenseRanks {
  /** Per position of `rows`: the rank of its value among the distinct values there (equal values, `-0` and `+0` too, share one). */
  readonly codes: Int32Array
  readonly distinct: number
}

/**
 * Per position of `rows`, the rank of its column value among the column's distinct values
 * there. The prefix bitsets' groups of partial tile rows are mostly small (a hundred rows, a
 * dozen columns each) and their columns take few values (five to fifteen on the bench's
 * cases): the distinct values are found by hashing (value-codes.ts) and only they are sorted,
 * two to four times cheaper there than sorting every row's value. Groups of a few rows sort
 * their values as they are and find ranks by bisection.
 */
export const denseRanks = (column: Float64Array, rows: Int32Array): DenseRanks => {
  const values = new Float64Array(rows.length)
  for (let p = 0; p < rows.length; p++) values[p] = column[rows[p]!]!
  return rows.length < BISECT_BELOW ? ranksByBisection(values) : ranksOfDistinctValues(values)
}

/** The distinct values by hashing, then each one's rank among them; every row takes its value's rank. */
const ranksOfDistinctValues = (values: Float64Array): DenseRanks => {
  const { codes, distinctValues } = valueCodes(values)
  const rankOf = distinctValues.length < ARGSORT_FROM ? ranksByBisection(distinctValues).codes : ranksByArgsort(distinctValues)
  for (let p = 0; p < codes.length; p++) codes[p] = rankOf[codes[p]!]!
  return { codes, distinct: distinctValues.length }
}

/** Ranks of values that are all distinct: their places in ascending order. */
const ranksByArgsort = (distinctValues: Float64Array): Int32Array => {
  const order = stableArgsort(distinctValues)
  const rankOf = new Int32Array(order.length)
  for (let rank = 0; rank < order.length; rank++) rankOf[order[rank]!] = rank
  return rankOf
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
