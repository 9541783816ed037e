/**
 * The terminal rendering of `evaluate`: totals, then one row per Einsum, then one row per
 * (Einsum, component) with its dynamic and leak energy, latency (the slowest component, which
 * sets the Einsum's latency, is marked) and how full it is.
 */
import type { EvaluationResult } from "@effect-accelforge/model"
import {
  COMPONENT_COLUMNS,
  componentRows,
  EINSUM_COLUMNS,
  einsumLabel,
  formatNumber,
  formatPercent,
  TOTAL_COLUMNS,
  totalRows
} from "@effect-accelforge/report"
import { renderTable } from "./table.ts"

const optional = (n: number | undefined): string => (n === undefined ? "?" : formatNumber(n))

const totals = (r: EvaluationResult): string =>
  renderTable(TOTAL_COLUMNS, totalRows(r).map((t) => [t.label, optional(t.value)]))

const perEinsum = (r: EvaluationResult): string =>
  renderTable(
    EINSUM_COLUMNS,
    r.einsums.map((e) => [einsumLabel(e.einsum, e.nInstances), e.compute, e.energy, e.leakEnergy, e.latency])
  )

const perComponent = (r: EvaluationResult): string =>
  renderTable(
    COMPONENT_COLUMNS,
    componentRows(r).map((c) => [
      c.einsum,
      c.component,
      c.dynamic,
      c.leak,
      c.latency === undefined ? "-" : formatNumber(c.latency) + (c.bounding ? " *" : ""),
      c.bits === 0 ? "-" : formatNumber(c.bits),
      c.bits === 0 ? "-" : c.fraction === 0 ? "unbounded" : formatPercent(c.fraction)
    ])
  )

export const renderEvaluateReport = (r: EvaluationResult): string =>
  [
    totals(r),
    "",
    perEinsum(r),
    "",
    perComponent(r),
    "",
    "* the slowest component, which sets the Einsum's latency. Einsum latencies add up; energy includes leak."
  ].join("\n")

/** The `--json` record of one evaluated mapping (stable field names); it lives with the results store, which keeps one per sweep point. */
export { evaluationJson } from "@effect-accelforge/sweep"
