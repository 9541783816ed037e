/**
 * The per-Einsum output of the search (a PmappingTable): Pareto-optimal pmappings grouped by
 * compatibility, stored column-wise. A row is an index; its tile shapes sit in `tiles` from
 * `tileOffset[row]` for as many loops as its template has.
 *
 * Column layout of a group (its fused depth `n` = the most fused loops above a shared tensor):
 * the table's objectives; then, per tracked memory, its cumulative reservation at fused depth
 * -1 (held for the whole workload), 0, ..., n as a fraction of capacity (FFM §5.3 `right[k]`;
 * never decreasing with depth; `right[n]` is the Einsum's total use); then, per tensor of the
 * compatibility, its backing reservation as a fraction of its memory (0 when untracked). The
 * objectives and reservations are the Pareto columns; tensor sizes only undo double counting
 * when two Einsums share the tensor.
 */
import type { Column } from "@effect-accelforge/model"
import type { Compatibility } from "../compatibility/compatibility.ts"
import type { Template } from "../template/template.ts"

export interface PmappingGroup {
  readonly key: string
  readonly compatibility: Compatibility
  /** Rows with this compatibility before Pareto pruning (decides the order of equally good groups). */
  readonly generated: number
  readonly rows: number
  /** Fused loops (of more than one iteration) above the deepest shared tensor. */
  readonly depth: number
  readonly template: Int32Array
  readonly tileOffset: Int32Array
  readonly tiles: Int32Array
  /** The table's objective columns (`PmappingTable.columns`), then its reservation and tensor-size columns. */
  readonly columns: ReadonlyArray<Float64Array>
}

export interface EinsumCounters {
  readonly einsum: string
  readonly templates: number
  /** Analytic size of the tile spaces of every template. */
  readonly total: number
  /** Rows that met every capacity, fanout, loop-bound and min-usage rule. */
  readonly valid: number
  /** Of the valid rows, those dropped before their full score: a bound showed an earlier or better row of their group beats them (DominanceCache). */
  readonly dropped?: number
  /** Partial and complete tile rows looked at (0 when the table was reused). */
  readonly evaluated: number
  readonly paretoOptimal: number
  /** The Einsum whose search this one shares up to tensor names, when its table was renamed from that one's. */
  readonly reusedFrom?: string
}

export interface PmappingTable {
  readonly einsum: string
  readonly templates: ReadonlyArray<Template>
  /** The objective columns (`energy`, `latency`, ...) with their combine rules (model compose/): the first columns of every group. */
  readonly columns: ReadonlyArray<Column>
  readonly objectives: number
  /** Memories whose reservations are carried per fused depth (FFM §3.9). */
  readonly tracked: ReadonlyArray<string>
  readonly groups: ReadonlyArray<PmappingGroup>
  readonly counters: EinsumCounters
}

export const columnIndex = (table: PmappingTable, name: string): number => table.columns.findIndex((c) => c.name === name)

/** Reservation columns per tracked memory at fused depth `n` (levels -1..n). */
export const levelsAt = (depth: number): number => depth + 2

/** Column of memory `m`'s cumulative reservation at fused depth `level` (-1..depth). */
export const reservationColumn = (objectives: number, depth: number, m: number, level: number): number =>
  objectives + m * levelsAt(depth) + level + 1

/** Column of the backing size of the compatibility's `t`-th tensor. */
export const tensorSizeColumn = (objectives: number, depth: number, tracked: number, t: number): number =>
  objectives + tracked * levelsAt(depth) + t

/** Columns a Pareto prune compares: objectives and reservations. */
export const paretoWidth = (objectives: number, depth: number, tracked: number): number =>
  objectives + tracked * levelsAt(depth)
