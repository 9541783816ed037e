import { bucketMinima } from "./bucket-minima.ts"
import { mostDistinctFirst } from "./column-order.ts"
import { comparedColumns } from "./compared-columns.ts"
import { keepFirstMinimum } from "./front-one-column.ts"
import { keepFrontByPrefixBitsets } from "./front-prefix-bitsets.ts"
import { keepFrontByPairwiseComparison } from "./front-small-group.ts"
import { keepFrontBySortedFilter } from "./front-sorted-filter.ts"
import { keepThreeColumnFront } from "./front-three-columns.ts"
import { keepTwoColumnFront } from "./front-two-columns.ts"
import type { Goal, ParetoOptions } from "./goal.ts"
import { groupRowsByKeys } from "./row-groups.ts"

/**
 * Indices (ascending) of the rows kept by Pareto pruning, as AccelForge's `makepareto` /
 * `fast_pareto_mask(distinct=True)` (doc §4.2–4.4):
 *
 * - `"diff"` columns partition the rows; rows in different groups never prune each other.
 * - Objectives are rounded per column (`multiRound` with the column's tolerances), `"max"`
 *   columns negated; the original rows are what is returned.
 * - Within a group, a row is dropped when another row is `≤` everywhere and `<` somewhere, or
 *   when an earlier row has exactly the same compared values ("distinct": the first is kept).
 *   Hence when nothing varies only row 0 is kept.
 *
 * Values must not be NaN. `-0` and `+0` are equal. With no columns there are no rows.
 */
export const paretoFront = (
  columns: ReadonlyArray<Float64Array>,
  goals: ReadonlyArray<Goal>,
  options: ParetoOptions = {}
): Int32Array => {
  const { rowCount, objectives, partitionKeys } = comparedColumns(columns, goals, options)
  if (rowCount === 0) return new Int32Array(0)
  const groups = groupRowsByKeys(partitionKeys, rowCount)
  const keep = new Uint8Array(rowCount)
  for (let group = 0; group + 1 < groups.offsets.length; group++) {
    const start = groups.offsets[group]!
    const end = groups.offsets[group + 1]!
    // Singleton groups are common with many diff values; skipping them avoids a view per row.
    if (end - start === 1) keep[groups.rows[start]!] = 1
    else keepFrontOfGroup(objectives, groups.rows.subarray(start, end), keep)
  }
  return keptIndices(keep)
}

/**
 * Marks the exact front (this module's `paretoFront`), so that the join may drop rows it would
 * drop anyway as they form (join/sieve.ts). A mark, not identity: the bundled command line and
 * the source module a worker imports the pruner from hold different copies of the function.
 */
const EXACT_FRONT = Symbol.for("effect-accelforge/exact-pareto-front")

;(paretoFront as unknown as Record<symbol, boolean>)[EXACT_FRONT] = true

const hasMark = (prune: unknown, mark: symbol): boolean => typeof prune === "function" && (prune as unknown as Record<symbol, unknown>)[mark] === true

/** Whether `prune` is the exact front with AccelForge's keep-first rule (not a wrapper of it). */
export const isExactFront = (prune: unknown): boolean => hasMark(prune, EXACT_FRONT)

/**
 * Marks a pruner that keeps only rows of the exact front (a subset of what `paretoFront` keeps,
 * e.g. the beam join's few best rows of it: join/beam-join.ts): the join's sieve may drop rows
 * the exact front would drop before it runs, as for `paretoFront` itself.
 */
const WITHIN_FRONT = Symbol.for("effect-accelforge/within-pareto-front")

export const markWithinFront = <F extends (...args: never) => unknown>(prune: F): F => {
  ;(prune as unknown as Record<symbol, boolean>)[WITHIN_FRONT] = true
  return prune
}

/** Whether the join may sieve rows before `prune` (join/sieve.ts): the exact front, or a pruner keeping a subset of it. */
export const keepsWithinFront = (prune: unknown): boolean => isExactFront(prune) || hasMark(prune, WITHIN_FRONT)

/** From this many rows on, a group of three or more varying columns is first reduced to its bucket minima (bucket-minima.ts). */
const BUCKET_MIN_ROWS = 64

/** Below this many rows, comparing all pairs is cheaper than setting up a sort. */
const SMALL_GROUP_SIZE = 16

/**
 * Columns constant within the group cannot decide dominance or distinguish duplicates, and a
 * column equal to an earlier one within the group repeats its verdict, so the algorithm is
 * chosen by how many distinct columns actually vary there. (The join's reservation columns
 * repeat often: the deepest level on the right equals the deepest on the left, and a level
 * no loop splits equals the next; a third of its compared columns were copies.) With three or
 * more, a large group is first reduced to its bucket minima (exact; bucket-minima.ts).
 */
const keepFrontOfGroup = (objectives: ReadonlyArray<Float64Array>, rows: Int32Array, keep: Uint8Array): void => {
  if (rows.length <= SMALL_GROUP_SIZE) return keepFrontByPairwiseComparison(objectives, rows, keep)
  const varying: Array<Float64Array> = []
  for (const column of objectives) {
    if (variesWithin(column, rows) && !varying.some((earlier) => equalWithin(earlier, column, rows))) varying.push(column)
  }
  if (varying.length >= 3 && rows.length >= BUCKET_MIN_ROWS) {
    const [primary, ...keys] = mostDistinctFirst(varying, rows)
    const representatives = bucketMinima(primary!, keys, rows)
    if (representatives !== rows) return keepFrontOfGroup(objectives, representatives, keep)
  }
  if (varying.length === 0) keep[rows[0]!] = 1
  else if (varying.length === 1) keepFirstMinimum(varying[0]!, rows, keep)
  else if (varying.length === 2) keepTwoColumnFront(varying[0]!, varying[1]!, rows, keep)
  else if (varying.length === 3) keepThreeColumnFront(varying[0]!, varying[1]!, varying[2]!, rows, keep)
  else if (!keepFrontByPrefixBitsets(varying, rows, keep)) keepFrontBySortedFilter(varying, rows, keep)
}

const variesWithin = (column: Float64Array, rows: Int32Array): boolean => {
  const first = column[rows[0]!]
  for (let position = 1; position < rows.length; position++) {
    if (column[rows[position]!] !== first) return true
  }
  return false
}

const equalWithin = (a: Float64Array, b: Float64Array, rows: Int32Array): boolean => {
  for (let position = 0; position < rows.length; position++) {
    const row = rows[position]!
    if (a[row] !== b[row]) return false
  }
  return true
}

const keptIndices = (keep: Uint8Array): Int32Array => {
  let keptCount = 0
  for (let row = 0; row < keep.length; row++) keptCount += keep[row]!
  const indices = new Int32Array(keptCount)
  let next = 0
  for (let row = 0; row < keep.length; row++) if (keep[row] === 1) indices[next++] = row
  return indices
}
