/**
 * A result's tables in HTML: the rows the terminal prints (tables/evaluation-tables.ts), each
 * number also exact in `data-value`, and the search's counters when the result came from `run`.
 */
import type { EvaluationResult } from "@effect-accelforge/model"
import { COMPONENT_COLUMNS, EINSUM_COLUMNS, einsumLabel, JOIN_COLUMNS, SEARCH_COLUMNS, TOTAL_COLUMNS } from "../tables/columns.ts"
import { componentRows, totalRows } from "../tables/evaluation-tables.ts"
import { formatNumber, formatPercent } from "../tables/format-number.ts"
import { htmlTable } from "./html-table.ts"

/** What `run --json` writes under `stats` (the fields the report shows). */
export interface SearchStats {
  readonly metric: string
  readonly paretoFrontSize: number
  readonly jobs: number
  readonly wallTimeMs: number
  /** Per Einsum, the search counters (the mapper's EinsumCounters). */
  readonly einsums: ReadonlyArray<{ readonly einsum: string; readonly reusedFrom?: string } & Readonly<Record<"templates" | "total" | "valid" | "evaluated" | "paretoOptimal", number>>>
  /** Per join step (the mapper's JoinStep). */
  readonly join: ReadonlyArray<{ readonly einsum: string } & Readonly<Record<"pairsJoined" | "rowsFormed" | "rowsKept" | "groupsKept" | "seconds", number>>>
}

export const totalsTable = (r: EvaluationResult): string =>
  htmlTable("totals", "Totals", TOTAL_COLUMNS, totalRows(r).map((t) => ({ keys: { total: t.name }, cells: [t.label.trim(), t.value] })))

export const einsumTable = (r: EvaluationResult): string =>
  htmlTable(
    "einsums",
    "Per Einsum",
    EINSUM_COLUMNS,
    r.einsums.map((e) => ({ keys: { einsum: e.einsum }, cells: [einsumLabel(e.einsum, e.nInstances), e.compute, e.energy, e.leakEnergy, e.latency] }))
  )

export const componentTable = (r: EvaluationResult): string =>
  htmlTable(
    "components",
    "Per Einsum and component (bold latency: the slowest component, which sets the Einsum's latency)",
    COMPONENT_COLUMNS,
    componentRows(r).map((c) => ({
      keys: { einsum: c.einsum, component: c.component },
      ...(c.bounding ? { className: "bounding" } : {}),
      cells: [
        c.einsum,
        c.component,
        c.dynamic,
        c.leak,
        c.latency === undefined ? "-" : { value: c.latency, text: formatNumber(c.latency) + (c.bounding ? " *" : "") },
        c.bits === 0 ? "-" : c.bits,
        c.bits === 0 ? "-" : c.fraction === 0 ? "unbounded" : { value: c.fraction, text: formatPercent(c.fraction) }
      ]
    }))
  )

export const searchTables = (s: SearchStats): string =>
  [
    htmlTable(
      "search",
      "Search (pmappings per Einsum)",
      SEARCH_COLUMNS,
      s.einsums.map((e) => ({
        keys: { einsum: e.einsum },
        cells: [e.reusedFrom === undefined ? e.einsum : `${e.einsum} (as ${e.reusedFrom})`, e.templates, e.total, e.valid, e.evaluated, e.paretoOptimal]
      }))
    ),
    htmlTable(
      "join",
      "Join (Einsum by Einsum, in workload order)",
      JOIN_COLUMNS,
      s.join.map((j) => ({ keys: { einsum: j.einsum }, cells: [j.einsum, j.pairsJoined, j.rowsFormed, j.rowsKept, j.groupsKept, { value: j.seconds, text: j.seconds.toFixed(3) }] }))
    )
  ].join("\n")
