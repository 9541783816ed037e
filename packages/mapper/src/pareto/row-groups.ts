import { stableArgsort } from "./argsort.ts"

/**
 * Partition of rows into groups of equal key values (the `"diff"` columns).
 *
 * Keys are factorized column by column into dense integer codes (radix argsort, then number
 * the runs of equal values), combined as a mixed-radix product code and re-densified after each
 * column so the code stays below `rowCount²` (exact in a double). A counting sort by code then
 * lays the groups out contiguously. Everything is sorting of typed arrays and linear passes:
 * no per-row strings or objects.
 */
export interface RowGroups {
  /** Row indices, group by group; ascending within each group. */
  readonly rows: Int32Array
  /** Group `g` is `rows[offsets[g] .. offsets[g + 1])`. */
  readonly offsets: Int32Array
}

interface DenseCodes {
  readonly codes: Float64Array
  readonly distinctCount: number
}

/** Replaces each value by the rank of its value among the distinct values (0-based). */
const denseCodes = (values: Float64Array): DenseCodes => {
  // The radix argsort may put -0 before +0, but the two are adjacent, so comparing neighbours
  // with `!==` still makes them one value; the order among equal values does not matter here.
  const order = stableArgsort(values)
  const codes = new Float64Array(values.length)
  let distinctCount = 0
  for (let rank = 0; rank < order.length; rank++) {
    const row = order[rank]!
    if (rank === 0 || values[row] !== values[order[rank - 1]!]) distinctCount++
    codes[row] = distinctCount - 1
  }
  return { codes, distinctCount }
}

const combinedCodes = (keyColumns: ReadonlyArray<Float64Array>, rowCount: number): DenseCodes => {
  let combined: DenseCodes = { codes: new Float64Array(rowCount), distinctCount: 1 }
  for (const column of keyColumns) {
    const next = denseCodes(column)
    // A single code carries no information, so the next column's codes are the combination.
    if (combined.distinctCount === 1) {
      combined = next
      continue
    }
    const product = new Float64Array(rowCount)
    for (let row = 0; row < rowCount; row++) {
      product[row] = combined.codes[row]! * next.distinctCount + next.codes[row]!
    }
    combined = denseCodes(product)
  }
  return combined
}

/** Groups rows by their values in `keyColumns`; with no key columns, all rows form one group. */
export const groupRowsByKeys = (keyColumns: ReadonlyArray<Float64Array>, rowCount: number): RowGroups => {
  const { codes, distinctCount } = combinedCodes(keyColumns, rowCount)
  const offsets = new Int32Array(distinctCount + 1)
  for (let row = 0; row < rowCount; row++) offsets[codes[row]! + 1]!++
  for (let group = 0; group < distinctCount; group++) offsets[group + 1]! += offsets[group]!
  const nextSlot = offsets.slice(0, distinctCount)
  const rows = new Int32Array(rowCount)
  for (let row = 0; row < rowCount; row++) rows[nextSlot[codes[row]!]!++] = row
  return { rows, offsets }
}
