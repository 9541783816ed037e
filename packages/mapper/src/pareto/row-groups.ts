/**
 * Partition of rows into groups of equal key values (the `"diff"` columns).
 *
 * Each row's tuple of key values gets a dense code (in order of first appearance) from one
 * open-addressing hash over the tuple's bits, and a counting sort by code then lays the groups
 * out contiguously. Everything is linear passes over typed arrays: no per-row strings or
 * objects. (Coding column by column, then the combined codes again after each column, took
 * two hash passes and five arrays per key column: over a third of the Pareto passes over
 * partial tile rows in a profile of eyeriss 6.7B prefill.)
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

const bits = new Float64Array(1)
const words = new Uint32Array(bits.buffer)

/** A 32-bit hash of a row's key tuple (`-0` hashes as `+0`: the two are one value). */
const tupleHash = (keyColumns: ReadonlyArray<Float64Array>, row: number): number => {
  let hash = 0x811c9dc5
  for (let c = 0; c < keyColumns.length; c++) {
    bits[0] = keyColumns[c]![row]! + 0
    hash = Math.imul(hash ^ words[0]!, 0x01000193)
    hash = Math.imul(hash ^ words[1]!, 0x01000193)
  }
  // The final mix of MurmurHash3: a small integer's bits are all high in its double.
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b)
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35)
  return hash ^ (hash >>> 16)
}

const sameTuple = (keyColumns: ReadonlyArray<Float64Array>, a: number, b: number): boolean => {
  for (let c = 0; c < keyColumns.length; c++) if (keyColumns[c]![a] !== keyColumns[c]![b]) return false
  return true
}

/** The hash table's slots (code + 1, 0 when empty), reused from call to call up to `KEPT_SLOTS` (larger tables are the call's own). */
let slots = new Int32Array(1024)
const KEPT_SLOTS = 1 << 15

/** Per row, a number of its own tuple among the distinct tuples (0-based, in order of first appearance: only which rows share one matters). */
const combinedCodes = (keyColumns: ReadonlyArray<Float64Array>, rowCount: number): DenseCodes => {
  const codes = new Int32Array(rowCount)
  if (keyColumns.length === 0) return { codes, distinctCount: 1 }
  // At most half full, so a probe ends soon.
  let size = 16
  while (size < 2 * rowCount) size *= 2
  const table = size > KEPT_SLOTS ? new Int32Array(size) : slots.length < size ? (slots = new Int32Array(size)) : slots.fill(0, 0, size)
  const mask = size - 1
  // The first row of each code: its tuple is the code's.
  const firstRow = new Int32Array(rowCount)
  let distinct = 0
  for (let row = 0; row < rowCount; row++) {
    let slot = tupleHash(keyColumns, row) & mask
    for (;;) {
      const entry = table[slot]!
      if (entry === 0) {
        firstRow[distinct] = row
        table[slot] = ++distinct
        codes[row] = distinct - 1
        break
      }
      if (sameTuple(keyColumns, firstRow[entry - 1]!, row)) {
        codes[row] = entry - 1
        break
      }
      slot = (slot + 1) & mask
    }
  }
  return { codes, distinctCount: distinct }
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
