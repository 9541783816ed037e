/**
 * The terminal rendering of `evaluate`: totals, then one row per Einsum, then one row per
 * (Einsum, component) with its dynamic and leak energy, latency (the slowest component, which
 * sets the Einsum's latency, is marked) and how full it is; under an overlap mode, a text
 * timeline of the Einsums and the components' busy time (format/timeline.ts).
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
import { renderTimeline } from "./timeline.ts"
import { evaluationJson } from "@effect-accelforge/sweep/evaluation-record"

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

const overlapped = (r: EvaluationResult): boolean => r.overlap.mode !== "none"

export const renderEvaluateReport = (r: EvaluationResult): string =>
  [
    totals(r),
    "",
    perEinsum(r),
    "",
    perComponent(r),
    "",
    overlapped(r)
      ? `* the slowest component, which sets the Einsum's latency on its own. Under overlap ${r.overlap.mode} Einsums overlap (the timeline below); energy includes leak over the workload's latency.`
      : "* the slowest component, which sets the Einsum's latency. Einsum latencies add up; energy includes leak.",
    ...(overlapped(r) ? ["", renderTimeline(r.overlap)] : [])
  ].join("\n")

/**
 * The `--json` record of one evaluated mapping (stable field names; the record lives with the
 * results store, which keeps one per sweep point), with `overlap` (each Einsum's start and end,
 * each component's busy time) under an overlap mode.
 */
export const mappingJson = (r: EvaluationResult, mapping: unknown) =>
  overlapped(r) ? { ...evaluationJson(r, mapping), overlap: r.overlap } : evaluationJson(r, mapping)
