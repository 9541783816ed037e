import { valueCodes } from "./value-codes.ts"

/**
 * Partition of rows into groups of equal key values (the `"diff"` columns).
 *
 * Keys are factorized column by column into dense integer codes (by hashing), combined as a
 * mixed-radix product code and re-densified after each column so the code stays below
 * `rowCount²` (exact in a double). A counting sort by code then
 * lays the groups out contiguously. Everything is linear passes over typed arrays:
 * no per-row strings or objects.
 */
export interface RowGroups {
  /** Row indices, group by group; ascending within each group. */
  readonly rows: Int32Array
  /** Group `g` is `rows[offsets[g] .. offsets[g + 1])`. */
  readonly offsets: Int32Array
}

interface DenseCodes {
  readonly codes: Int32Array
  readonly distinctCount: number
}

/**
 * Replaces each value by a number of its own among the distinct values (0-based, in order of
 * first appearance: the groups' order does not matter, only which rows share one), found by
 * hashing (value-codes.ts) instead of sorting.
 */
const denseCodes = (values: Float64Array): DenseCodes => {
  const { codes, distinctValues } = valueCodes(values)
  return { codes, distinctCount: distinctValues.length }
}

const combinedCodes = (keyColumns: ReadonlyArray<Float64Array>, rowCount: number): DenseCodes => {
  let combined: DenseCodes = { codes: new Int32Array(rowCount), distinctCount: 1 }
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
