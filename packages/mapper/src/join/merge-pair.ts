/**
 * Joining one group of partial mappings (A, the Einsums so far) with one pmapping group of the
 * next Einsum (B): every row pair, with objectives combined by the composition's rules (model
 * compose/: added for Einsums in sequence) and reservations by the reservation-tree rules of
 * FFM §5.4, pairs over capacity dropped.
 *
 * Per joined memory, with `a` = A's depth and `b` = B's depth (b ≥ a: B runs inside A's nest):
 * - A's innermost level `a` becomes a finished sibling: `left[a] = max(left[a], right[a])`;
 * - `right[n] = A.right[n] + B.right[n]` for n < a (A's allocations above its innermost loop
 *   stay live while B runs), `right[n] = B.right[n] + A.right[a-1]` for n ≥ a;
 * - `left[n] = A.left[n] + B.right[n-1]` for n ≤ a (B's shallower allocations were live while
 *   the sibling ran);
 * - a tensor both sides hold above A's innermost level was counted twice: subtract it once at
 *   its depth and below (left: strictly below); a tensor A holds at its innermost level that a
 *   later Einsum still needs stays allocated while B runs: add it back on the right;
 * - then levels deeper than the joined depth collapse into it by max, every level must fit
 *   (≤ 1), and `left = max(left, right)`.
 */
import { CAPACITY_FITS, type JoinContext, type RowCombiner } from "@effect-accelforge/model"
import type { Compatibility } from "../compatibility/compatibility.ts"
import type { PmappingGroup } from "../generate/pmapping-table.ts"
import { reservationColumn, tensorSizeColumn } from "../generate/pmapping-table.ts"
import { compatibilityDepth } from "../compatibility/compatibility.ts"
import { loopNest, sharedPlacements } from "./compatibility-join.ts"
import { type JoinGroup, leftIndex, rightIndex, tensorDepth } from "./join-group.ts"
import type { StepBound } from "./join-bound.ts"
import { RowBuilder } from "./row-builder.ts"

/** How B's table is laid out and which of its memories the joiner tracks. */
export interface RightSide {
  readonly group: PmappingGroup
  /** First row id of this group in its table (row ids are table-wide). */
  readonly rowOffset: number
  readonly objectives: number
  /** Tracked memories of B's table. */
  readonly tableTracked: number
  /** For each joined memory, its index among B's table's tracked memories. */
  readonly memoryIndex: ReadonlyArray<number>
  /** For each joined memory, its name. */
  readonly memories: ReadonlyArray<string>
}

interface SizeSource {
  readonly fromLeft: boolean
  readonly column: number
}

interface Adjustment {
  readonly memory: number
  readonly depth: number
  readonly size: SizeSource
  readonly sign: 1 | -1
}

const sizeSourceOf = (a: JoinGroup, b: RightSide, tensor: string): SizeSource => {
  const i = a.compatibility.tensors.findIndex((t) => t.tensor === tensor)
  if (i >= 0) return { fromLeft: true, column: i }
  const k = b.group.compatibility.tensors.findIndex((t) => t.tensor === tensor)
  return { fromLeft: false, column: tensorSizeColumn(b.objectives, b.group.depth, b.tableTracked, k) }
}

/** Frees of doubly counted shared tensors and re-allocations of still-live innermost ones. */
const adjustments = (a: JoinGroup, b: RightSide, joined: Compatibility): Array<Adjustment> => {
  const out: Array<Adjustment> = []
  const memoryOf = (component: string) => b.memories.indexOf(component)
  for (const t of sharedPlacements(a.compatibility, b.group.compatibility)) {
    const m = memoryOf(t.component)
    const d = tensorDepth(t)
    if (m >= 0 && d <= a.depth - 1) out.push({ memory: m, depth: d, size: sizeSourceOf(a, b, t.tensor), sign: -1 })
  }
  for (const t of joined.tensors) {
    const m = memoryOf(t.component)
    const inRight = b.group.compatibility.tensors.some((u) => u.tensor === t.tensor)
    if (m >= 0 && !inRight && tensorDepth(t) >= a.depth) out.push({ memory: m, depth: tensorDepth(t), size: sizeSourceOf(a, b, t.tensor), sign: 1 })
  }
  return out
}

/** The join's bound on this step (join-bound.ts) and B's smallest objectives (one-row columns). */
export interface PairBound {
  readonly step: StepBound
  readonly lowest: ReadonlyArray<Float64Array>
}

/**
 * All row pairs of `a` and `b` that fit, as a new group with compatibility `joined` (the caller
 * checked that the two compatibilities meet). `einsum` is B's position in the join order. With
 * a `bound`, pairs whose objectives exceed it are not formed (join-bound.ts).
 */
export const mergePair = (
  a: JoinGroup, b: RightSide, joined: Compatibility, combine: RowCombiner, builder?: RowBuilder, bound?: PairBound
): RowBuilder => {
  const g = b.group
  const k = b.objectives
  const M = b.memories.length
  const da = a.depth
  const db = g.depth
  const dj = compatibilityDepth(joined)
  const out = builder ?? new RowBuilder(joined, dj, k, M, a.einsums + 1, a.trail)
  const fixes = adjustments(a, b, joined)
  const sizeSources = joined.tensors.map((t) => sizeSourceOf(a, b, t.tensor))
  // Scratch levels -1..db (right) and 0..db (left) per memory; every value is written before it is read.
  const R = SCRATCH.levelsRight.of(M * (db + 2))
  const L = SCRATCH.levelsLeft.of(M * (db + 1))
  const rowRight = SCRATCH.rowRight.of(M * (dj + 2))
  const rowLeft = SCRATCH.rowLeft.of(M * (dj + 1))
  const rowObjectives = SCRATCH.rowObjectives.of(k)
  const rowSizes = SCRATCH.rowSizes.of(joined.tensors.length)
  // The columns each memory reads, looked up once per group pair (the row loop only indexes).
  const aRight = columnsPerMemory(M, da + 2, (m, i) => a.right[rightIndex(da, m, i - 1)]!)
  const aLeft = columnsPerMemory(M, da + 1, (m, n) => a.left[leftIndex(da, m, n)]!)
  const bRight = columnsPerMemory(M, db + 2, (m, i) => g.columns[reservationColumn(k, db, b.memoryIndex[m]!, i - 1)]!)
  // B runs inside every loop of A's nest (the caller checked that the nests nest); the Einsums
  // after it run inside the joined nest.
  const context: JoinContext = { sharedLoops: loopNest(a.compatibility), nextLoops: loopNest(joined) }
  /** Row pair (ia, ib) of A and of B's `columns` (`right`: their reservation columns): its reservations in rowRight/rowLeft, false when over capacity. */
  const fits = (ia: number, ib: number, columns: ReadonlyArray<Float64Array>, right: ReadonlyArray<ReadonlyArray<Float64Array>>): boolean => {
    for (let m = 0; m < M; m++) {
      const ar = aRight[m]!
      const br = right[m]!
      const r = m * (db + 2)
      // Level n is at index n + 1: right[n] for n < a, else B's level plus A's last live level.
      for (let n = -1; n <= db; n++) {
        R[r + n + 1] = br[n + 1]![ib]! + (n < da ? ar[n + 1]![ia]! : ar[Math.min(n - 1, da - 1) + 1]![ia]!)
      }
      const al = aLeft[m]!
      const l = m * (db + 1)
      for (let n = 0; n <= db; n++) {
        const sibling = n < da ? al[n]![ia]! : n === da ? Math.max(al[n]![ia]!, ar[n + 1]![ia]!) : undefined
        L[l + n] = sibling === undefined ? 0 : sibling + br[n]![ib]!
      }
    }
    for (const f of fixes) {
      const size = f.size.fromLeft ? a.sizes[f.size.column]![ia]! : columns[f.size.column]![ib]!
      const delta = f.sign * size
      for (let n = Math.max(f.depth, -1); n <= db; n++) R[f.memory * (db + 2) + n + 1] = R[f.memory * (db + 2) + n + 1]! + delta
      for (let n = Math.max(f.depth + 1, 0); n <= db; n++) L[f.memory * (db + 1) + n] = L[f.memory * (db + 1) + n]! + delta
    }
    return collapseAndFit(R, L, M, db, dj, rowRight, rowLeft)
  }
  const low = out.sieving && g.rows >= BOUND_MIN_ROWS ? lowestRow(g, fixes) : undefined
  const lowRight = low === undefined ? undefined : bRight.map((_, m) => Array.from({ length: db + 2 }, (_, i) => low[reservationColumn(k, db, b.memoryIndex[m]!, i - 1)]!))
  for (let ia = 0; ia < a.rows; ia++) {
    // With B's smallest objectives, row ia's objectives are no larger than with any B row.
    if (bound !== undefined) {
      combine(rowObjectives, a.objectives, ia, bound.lowest, 0, context)
      if (bound.step.exceeds(rowObjectives, context.nextLoops)) continue
    }
    // Every row of A's row ia is no better anywhere than its row with B's lowest values: when
    // that one is over capacity or a kept row dominates it, so is every row (none is formed).
    if (low !== undefined) {
      if (!fits(ia, 0, low, lowRight!)) continue
      combine(rowObjectives, a.objectives, ia, low, 0, context)
      if (out.dominated(rowObjectives, rowRight, rowLeft)) continue
    }
    for (let ib = 0; ib < g.rows; ib++) {
      combine(rowObjectives, a.objectives, ia, g.columns, ib, context)
      if (bound !== undefined && bound.step.exceeds(rowObjectives, context.nextLoops)) continue
      if (!fits(ia, ib, g.columns, bRight)) continue
      // A plain loop: a closure here was allocated per row pair (garbage at millions of rows).
      for (let t = 0; t < sizeSources.length; t++) {
        const s = sizeSources[t]!
        rowSizes[t] = s.fromLeft ? a.sizes[s.column]![ia]! : g.columns[s.column]![ib]!
      }
      out.push(rowObjectives, rowRight, rowLeft, rowSizes, a.nodes[ia]!, b.rowOffset + ib, da)
    }
  }
  return out
}

/**
 * Scratch arrays of each exact length, made once per thread and reused by every group pair (a
 * row builder and its sieve copy what they keep and read a row's lengths from these arrays).
 * A beam join (beam-join.ts) meets ~70k group pairs of a few rows each; six fresh arrays per
 * pair, most too long for V8's on-heap typed arrays, were a large share of its collector's time.
 */
class ScratchByLength {
  private readonly arrays: Array<Float64Array | undefined> = []

  of(length: number): Float64Array {
    return (this.arrays[length] ??= new Float64Array(length))
  }
}

const SCRATCH = {
  levelsRight: new ScratchByLength(),
  levelsLeft: new ScratchByLength(),
  rowRight: new ScratchByLength(),
  rowLeft: new ScratchByLength(),
  rowObjectives: new ScratchByLength(),
  rowSizes: new ScratchByLength()
}

/**
 * Per memory, `levels` columns, the i-th `column(m, i)`. Plain loops: `Array.from` with a
 * callback, three times per group pair, was a third of mergePair's own time in a beam join
 * (~70k group pairs of a few rows each).
 */
const columnsPerMemory = (memories: number, levels: number, column: (m: number, i: number) => Float64Array): Array<Array<Float64Array>> => {
  const out: Array<Array<Float64Array>> = []
  for (let m = 0; m < memories; m++) {
    const row: Array<Float64Array> = []
    for (let i = 0; i < levels; i++) row.push(column(m, i))
    out.push(row)
  }
  return out
}

/** B groups of fewer rows are joined row by row without a bound. */
const BOUND_MIN_ROWS = 4

/**
 * B's lowest values as a one-row table: the minimum of every column, but the maximum of a size
 * that a fix subtracts. Joined values never decrease in B's costs and reservations (the
 * composition's combiners are non-decreasing in both sides, model compose/; reservations add
 * and take maxima), so a row of these values is no worse anywhere than any real row with the
 * same A row. Undefined when a size is both added and subtracted (no such bound).
 */
const lowestRow = (g: PmappingGroup, fixes: ReadonlyArray<Adjustment>): Array<Float64Array> | undefined => {
  const sign = new Map<number, number>()
  for (const f of fixes) {
    if (f.size.fromLeft) continue
    if ((sign.get(f.size.column) ?? f.sign) !== f.sign) return undefined
    sign.set(f.size.column, f.sign)
  }
  return g.columns.map((column, c) => {
    let value = column[0]!
    const highest = sign.get(c) === -1
    for (let r = 1; r < g.rows; r++) value = highest ? Math.max(value, column[r]!) : Math.min(value, column[r]!)
    return Float64Array.of(value)
  })
}

/**
 * Collapse levels deeper than `dj` into level `dj` (by max over right and left), check every
 * level fits, and write `left = max(left, right)`. False when a level is over capacity.
 */
const collapseAndFit = (
  R: Float64Array, L: Float64Array, M: number, db: number, dj: number, right: Float64Array, left: Float64Array
): boolean => {
  for (let m = 0; m < M; m++) {
    const r = m * (db + 2)
    const l = m * (db + 1)
    for (let n = -1; n < dj; n++) right[m * (dj + 2) + n + 1] = R[r + n + 1]!
    let deepest = R[r + dj + 1]!
    for (let n = dj + 1; n <= db; n++) deepest = Math.max(deepest, R[r + n + 1]!)
    for (let n = Math.max(dj, 0); n <= db; n++) deepest = Math.max(deepest, L[l + n]!)
    right[m * (dj + 2) + dj + 1] = deepest
    for (let n = 0; n <= dj; n++) {
      const value = n < dj ? Math.max(L[l + n]!, R[r + n + 1]!) : deepest
      left[m * (dj + 1) + n] = value
    }
    for (let n = -1; n <= dj; n++) if (right[m * (dj + 2) + n + 1]! > CAPACITY_FITS) return false
    for (let n = 0; n <= dj; n++) if (left[m * (dj + 1) + n]! > CAPACITY_FITS) return false
  }
  return true
}
