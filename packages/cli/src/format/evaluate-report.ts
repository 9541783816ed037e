/**
 * The terminal rendering of `evaluate`: totals, then one row per Einsum, then one row per
 * (Einsum, component) with its dynamic and leak energy, latency (the slowest component, which
 * sets the Einsum's latency, is marked) and how full it is.
 */
import type { EvaluationResult } from "@effect-accelforge/model"
import { formatNumber, renderTable } from "./table.ts"

const optional = (n: number | undefined): string => (n === undefined ? "?" : formatNumber(n))

const totals = (r: EvaluationResult): string =>
  renderTable(
    [{ header: "total" }, { header: "value", align: "right" }],
    [
      ["energy", r.energy],
      ["  dynamic", r.dynamicEnergy],
      ["  leak", r.leakEnergy],
      ["latency", r.latency],
      ["area", optional(r.area)],
      ["leak power", optional(r.leakPower)]
    ]
  )

const perEinsum = (r: EvaluationResult): string =>
  renderTable(
    [
      { header: "Einsum" },
      { header: "compute" },
      { header: "energy", align: "right" },
      { header: "leak", align: "right" },
      { header: "latency", align: "right" }
    ],
    r.einsums.map((e) => [e.einsum + (e.nInstances !== 1 ? ` x${e.nInstances}` : ""), e.compute, e.energy, e.leakEnergy, e.latency])
  )

interface ComponentRow {
  dynamic: number
  leak: number
  latency: number | undefined
  bits: number
  fraction: number
}

const componentRows = (r: EvaluationResult): Map<string, Map<string, ComponentRow>> => {
  const out = new Map<string, Map<string, ComponentRow>>()
  const row = (einsum: string, component: string): ComponentRow => {
    const rows = out.get(einsum) ?? new Map<string, ComponentRow>()
    out.set(einsum, rows)
    const existing = rows.get(component)
    if (existing !== undefined) return existing
    const fresh: ComponentRow = { dynamic: 0, leak: 0, latency: undefined, bits: 0, fraction: 0 }
    rows.set(component, fresh)
    return fresh
  }
  for (const e of r.energyBreakdown) {
    const target = row(e.einsum, e.component)
    if (e.action === "leak") target.leak += e.value
    else target.dynamic += e.value
  }
  for (const l of r.latencyBreakdown) row(l.einsum, l.component).latency = l.value
  for (const u of r.memoryUsage) {
    const target = row(u.einsum, u.component)
    target.bits += u.bits
    target.fraction += u.fraction
  }
  return out
}

const perComponent = (r: EvaluationResult): string => {
  const latencyOf = new Map(r.einsums.map((e) => [e.einsum, e.latency / e.nInstances]))
  const rows: Array<Array<string | number>> = []
  for (const [einsum, components] of componentRows(r)) {
    const slowest = latencyOf.get(einsum) ?? 0
    for (const [component, c] of components) {
      const n = r.einsums.find((e) => e.einsum === einsum)?.nInstances ?? 1
      const bottleneck = c.latency !== undefined && slowest > 0 && c.latency / n === slowest ? " *" : ""
      rows.push([
        einsum,
        component,
        c.dynamic,
        c.leak,
        c.latency === undefined ? "-" : formatNumber(c.latency) + bottleneck,
        c.bits === 0 ? "-" : formatNumber(c.bits),
        c.bits === 0 ? "-" : c.fraction === 0 ? "unbounded" : `${formatNumber(Math.round(c.fraction * 1000) / 10)}%`
      ])
    }
  }
  return renderTable(
    [
      { header: "Einsum" },
      { header: "component" },
      { header: "energy", align: "right" },
      { header: "leak", align: "right" },
      { header: "latency", align: "right" },
      { header: "held (bits)", align: "right" },
      { header: "capacity", align: "right" }
    ],
    rows
  )
}

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
