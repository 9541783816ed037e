/**
 * The per-Einsum output of the search (a PmappingTable): Pareto-optimal pmappings grouped by
 * compatibility, stored column-wise. A row is an index; its tile shapes sit in `tiles` from
 * `tileOffset[row]` for as many loops as its template has.
 */
import type { Compatibility } from "../compatibility/compatibility.ts"
import type { Template } from "../template/template.ts"

export interface PmappingGroup {
  readonly key: string
  readonly compatibility: Compatibility
  /** Rows with this compatibility before Pareto pruning (decides the order of equally good groups). */
  readonly generated: number
  readonly rows: number
  readonly template: Int32Array
  readonly tileOffset: Int32Array
  readonly tiles: Int32Array
  /** One column per `PmappingTable.columns` name. */
  readonly columns: ReadonlyArray<Float64Array>
}

export interface EinsumCounters {
  readonly einsum: string
  readonly templates: number
  /** Analytic size of the tile spaces of every template. */
  readonly total: number
  /** Rows that met every capacity, fanout, loop-bound and min-usage rule. */
  readonly valid: number
  /** Partial and complete tile rows looked at. */
  readonly evaluated: number
  readonly paretoOptimal: number
}

export interface PmappingTable {
  readonly einsum: string
  readonly templates: ReadonlyArray<Template>
  /** Column names: objectives (`energy`, `latency`, ...) then `usage:<memory>` resources. */
  readonly columns: ReadonlyArray<string>
  readonly objectives: number
  readonly groups: ReadonlyArray<PmappingGroup>
  readonly counters: EinsumCounters
}

export const columnIndex = (table: PmappingTable, name: string): number => table.columns.indexOf(name)
