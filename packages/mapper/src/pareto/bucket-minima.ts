/**
 * Exact reduction of a group before its front is taken: rows that agree on every compared
 * column but one (the "primary", the column with many distinct values: the join's energy)
 * form a bucket, and only the first row at the bucket's minimum of the primary can be on the
 * front (every other row of the bucket is dominated by it, or is a later copy of it). The
 * join's groups have one many-valued objective and a few few-valued ones (latency,
 * reservation levels take tens to hundreds of values), so buckets are often tens of times
 * fewer than rows, and the front algorithms then sort and scan only the representatives.
 *
 * One pass with an open-addressing hash on the key columns' bits (no string or object per
 * row). Values must not be NaN or `-0` (the compared columns never are).
 */

/** Hash slots per row at least (a power of two): few collisions, probes stay short. */
const SLOTS_PER_ROW = 2

const bits = new Float64Array(1)
const words = new Uint32Array(bits.buffer)

/** Scratch reused across calls (the join prunes tens of thousands of groups; fresh typed arrays per group made garbage collection a fifth of its time). */
let slots = new Int32Array(0)
let bucketRow = new Int32Array(0)
let bucketMinimum = new Float64Array(0)

const ensureCapacity = (rows: number): number => {
  let capacity = 16
  while (capacity < SLOTS_PER_ROW * rows) capacity *= 2
  if (slots.length < capacity) slots = new Int32Array(capacity)
  if (bucketRow.length < rows) {
    bucketRow = new Int32Array(Math.max(rows, 2 * bucketRow.length))
    bucketMinimum = new Float64Array(bucketRow.length)
  }
  return capacity
}

const hashOf = (keys: ReadonlyArray<Float64Array>, row: number): number => {
  let hash = 0x811c9dc5
  for (let c = 0; c < keys.length; c++) {
    bits[0] = keys[c]![row]!
    hash = Math.imul(hash ^ words[0]!, 0x01000193)
    hash = Math.imul(hash ^ words[1]!, 0x01000193)
  }
  return (hash ^ (hash >>> 15)) >>> 0
}

const sameKey = (keys: ReadonlyArray<Float64Array>, a: number, b: number): boolean => {
  for (let c = 0; c < keys.length; c++) if (keys[c]![a] !== keys[c]![b]) return false
  return true
}

/**
 * The representative of every bucket (rows equal on all `keys`): the first row (in `rows`
 * order, ascending) at the bucket's minimum of `primary`. Ascending; `rows` itself when every
 * row is its own bucket.
 */
export const bucketMinima = (primary: Float64Array, keys: ReadonlyArray<Float64Array>, rows: Int32Array): Int32Array => {
  const capacity = ensureCapacity(rows.length)
  const mask = capacity - 1
  slots.fill(-1, 0, capacity)
  let buckets = 0
  for (let position = 0; position < rows.length; position++) {
    const row = rows[position]!
    let slot = hashOf(keys, row) & mask
    for (;;) {
      const bucket = slots[slot]!
      if (bucket < 0) {
        slots[slot] = buckets
        bucketRow[buckets] = row
        bucketMinimum[buckets++] = primary[row]!
        break
      }
      if (sameKey(keys, bucketRow[bucket]!, row)) {
        // Strictly smaller only: on a tie the earlier row stays (keep-first).
        if (primary[row]! < bucketMinimum[bucket]!) {
          bucketRow[bucket] = row
          bucketMinimum[bucket] = primary[row]!
        }
        break
      }
      slot = (slot + 1) & mask
    }
  }
  if (buckets === rows.length) return rows
  return bucketRow.slice(0, buckets).sort()
}
