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

/** The `--json` record of one evaluated mapping (stable field names; tensor null for compute and leak). */
export const evaluationJson = (r: EvaluationResult, mapping: unknown) => ({
  energy: r.energy,
  latency: r.latency,
  energyBreakdown: r.energyBreakdown.map((e) => ({ einsum: e.einsum, component: e.component, tensor: e.tensor, action: e.action, value: e.value })),
  latencyBreakdown: r.latencyBreakdown.map((l) => ({ einsum: l.einsum, component: l.component, value: l.value })),
  actions: r.actions.map((a) => ({ einsum: a.einsum, component: a.component, tensor: a.tensor, action: a.action, value: a.value })),
  dynamicEnergy: r.dynamicEnergy,
  leakEnergy: r.leakEnergy,
  area: r.area ?? null,
  leakPower: r.leakPower ?? null,
  einsums: r.einsums,
  memoryUsage: r.memoryUsage,
  spatialUsage: r.spatialUsage,
  mapping
})
