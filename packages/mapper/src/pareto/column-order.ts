import { packedMap } from "./packed-map.ts"

/** Rows sampled per column to estimate how many distinct values it has. */
const SAMPLE_SIZE = 128
/** Below this many rows the window stays small and the estimate costs more than it saves. */
const MIN_ROWS = 1024

/**
 * The columns, those with the most distinct values (estimated on evenly spaced sample rows)
 * first, ties in their given order. A dominance test stops at the first column where the
 * member is worse, and a column of few values (a reservation level, a latency) is rarely
 * where it is: with the join's objective first and its reservation levels after, testing
 * the many-valued columns first made the sorted filter's window scans 1.5 to 2x cheaper.
 */
export const mostDistinctFirst = (columns: ReadonlyArray<Float64Array>, rows: Int32Array): ReadonlyArray<Float64Array> => {
  if (rows.length < MIN_ROWS) return columns
  const step = Math.max(1, Math.floor(rows.length / SAMPLE_SIZE))
  const sample = new Float64Array(Math.ceil(rows.length / step))
  // Not `map`: callers' optimized code met the two array kinds it returns (packed-map.ts).
  const distinct = packedMap(columns, (column) => distinctInSample(column, rows, sample, step))
  const order = packedMap(columns, (_, c) => c).sort((a, b) => distinct[b]! - distinct[a]! || a - b)
  return packedMap(order, (c) => columns[c]!)
}

/** How many distinct values `column` has on every `step`-th row (`sample` is scratch of that many). */
const distinctInSample = (column: Float64Array, rows: Int32Array, sample: Float64Array, step: number): number => {
  for (let i = 0; i < sample.length; i++) sample[i] = column[rows[i * step]!]!
  sample.sort()
  let count = 1
  for (let i = 1; i < sample.length; i++) if (sample[i] !== sample[i - 1]) count++
  return count
}
