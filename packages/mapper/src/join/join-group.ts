/**
 * A group of partial fused mappings covering the Einsums joined so far (FFM §5.2-5.3), stored
 * column-wise. All rows share one compatibility: the placements of the tensors that Einsums
 * still to come will use. Reservations are dense: per joined memory, `right[k]` for fused depth
 * k = -1..depth (what is allocated on the current spine at depth k, cumulative) and `left[k]`
 * for k = 0..depth (the peak an earlier, finished sibling reached at depth k, including what was
 * live above it). Where AccelForge has no left level we store the right one, which is never
 * larger than what the spine already holds, so capacity checks and collapses are unchanged.
 */
import type { Compatibility } from "../compatibility/compatibility.ts"
import type { Trail } from "./trail.ts"

export interface JoinGroup {
  readonly compatibility: Compatibility
  readonly depth: number
  readonly rows: number
  /** Rows this group was made from before pruning (orders equally good results, ffm §11 A); in the join, those formed (the bound in merge-pair.ts forms none of an A row it proves dominated). */
  readonly generated: number
  /** Objective sums, one column per objective. */
  readonly objectives: ReadonlyArray<Float64Array>
  /** Per joined memory m, level k (-1..depth): column `m * (depth + 2) + k + 1`. */
  readonly right: ReadonlyArray<Float64Array>
  /** Per joined memory m, level k (0..depth): column `m * (depth + 1) + k`. */
  readonly left: ReadonlyArray<Float64Array>
  /** Backing size (fraction of its memory) per tensor of the compatibility, in its order. */
  readonly sizes: ReadonlyArray<Float64Array>
  /** Per row, its node in `trail`: the chosen pmapping of every joined Einsum. */
  readonly nodes: Int32Array
  readonly trail: Trail
  /** Einsums joined so far. */
  readonly einsums: number
  /** Per joined Einsum, the chosen pmapping as a row id of that Einsum's table (made from the trail when read: read it on small fronts). */
  readonly choices: ReadonlyArray<Int32Array>
  /** Per joined Einsum, the fused loops it shares with the Einsums before it (as `choices`). */
  readonly attach: ReadonlyArray<Int32Array>
}

export const rightIndex = (depth: number, m: number, level: number): number => m * (depth + 2) + level + 1
export const leftIndex = (depth: number, m: number, level: number): number => m * (depth + 1) + level

/** Depth of a tensor's reservation in the fused nest: -1 when held for the whole workload. */
export const tensorDepth = (t: { readonly persistent: boolean; readonly loops: ReadonlyArray<unknown> }): number =>
  t.persistent ? -1 : t.loops.length
