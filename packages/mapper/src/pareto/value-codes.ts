/**
 * Numbers the distinct values of a column in order of first appearance, by hashing their bits
 * (open addressing, linear probing): one pass, no sort. The Pareto passes over partial tile
 * rows rank a dozen columns of a few thousand rows each, most of them with few distinct
 * values; sorting every column (a radix argsort of eight passes, or a comparison sort) to
 * find them was most of the prefix bitsets' time. `-0` and `+0` are one value. Values must
 * not be NaN.
 */

export interface ValueCodes {
  /** Per position: the number of its value, 0 for the first value seen, 1 for the next new one... */
  readonly codes: Int32Array
  /** Value of each number (`+0` for the zeros). */
  readonly distinctValues: Float64Array
}

/** The hash table's slots (value number + 1, 0 when empty), reused from call to call up to `KEPT_SLOTS` (larger tables are the call's own). */
let slots = new Int32Array(1024)
const KEPT_SLOTS = 1 << 15

export const valueCodes = (values: Float64Array): ValueCodes => {
  const n = values.length
  // At most half full, so a probe ends soon.
  let size = 16
  while (size < 2 * n) size *= 2
  const table = size > KEPT_SLOTS ? new Int32Array(size) : slots.length < size ? (slots = new Int32Array(size)) : slots.fill(0, 0, size)
  const mask = size - 1
  const bits = new Uint32Array(values.buffer, values.byteOffset, 2 * n)
  const codes = new Int32Array(n)
  const found = new Float64Array(n)
  let distinct = 0
  for (let p = 0; p < n; p++) {
    const value = values[p]!
    // Both zeros hash as +0 (their bits differ, their values do not).
    let slot = value === 0 ? 0 : mix(bits[2 * p]!, bits[2 * p + 1]!) & mask
    for (;;) {
      const entry = table[slot]!
      if (entry === 0) {
        found[distinct] = value + 0
        table[slot] = ++distinct
        codes[p] = distinct - 1
        break
      }
      if (found[entry - 1] === value) {
        codes[p] = entry - 1
        break
      }
      slot = (slot + 1) & mask
    }
  }
  return { codes, distinctValues: found.subarray(0, distinct) }
}

/** A 32-bit hash of a double's two words (the low word of a product of small integers is mostly zeros). */
const mix = (low: number, high: number): number => {
  let h = Math.imul(low, 0xcc9e2d51) ^ high
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b)
  return h ^ (h >>> 13)
}
