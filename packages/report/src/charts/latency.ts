/**
 * Latency per Einsum and component, side by side, with the component that sets the Einsum's
 * latency outlined (the table's bounding component: the one, or ones on a tie, whose latency
 * equals the Einsum's). Components with zero latency are left out.
 */
import type { EvaluationResult } from "@effect-accelforge/model"
import { type Chart, chartConfig, SCHEMA, SI_FORMAT } from "../chart/chart.ts"
import { componentRows } from "../tables/evaluation-tables.ts"

export const BOUND = "sets the Einsum's latency"
export const OVERLAPPED = "overlapped"

export interface LatencyBar {
  readonly einsum: string
  readonly component: string
  readonly latency: number
  readonly role: typeof BOUND | typeof OVERLAPPED
}

export const latencyBars = (r: EvaluationResult): Array<LatencyBar> =>
  componentRows(r).flatMap((c) =>
    c.latency === undefined || c.latency <= 0 ? [] : [{ einsum: c.einsum, component: c.component, latency: c.latency, role: c.bounding ? BOUND : OVERLAPPED }]
  )

export const latencyChart = (r: EvaluationResult): Chart => {
  const bars = latencyBars(r)
  const components = new Set(bars.map((b) => b.component)).size
  return {
    id: "latency-by-component",
    title: "Latency per Einsum, by component",
    caption: "Each component's latency for each Einsum (in the arch's time unit); components overlap, so the outlined one, the slowest, is the Einsum's latency.",
    expectedMarks: bars.length,
    spec: {
      $schema: SCHEMA,
      title: "Latency per Einsum, by component",
      width: Math.max(160, r.einsums.length * Math.max(36, 14 * components)),
      height: 260,
      config: chartConfig,
      data: { values: bars.map((b) => ({ ...b })) },
      mark: { type: "bar", tooltip: true, strokeWidth: 2.5 },
      encoding: {
        x: { field: "einsum", type: "nominal", title: "Einsum", sort: r.einsums.map((e) => e.einsum), axis: { labelAngle: 0 } },
        xOffset: { field: "component", type: "nominal" },
        y: { field: "latency", type: "quantitative", title: "latency", axis: { format: SI_FORMAT } },
        color: { field: "component", type: "nominal", title: "component" },
        stroke: { field: "role", type: "nominal", title: "", scale: { domain: [BOUND, OVERLAPPED], range: ["#000000", "transparent"] }, legend: { symbolFillColor: "#ffffff", symbolStrokeWidth: 2 } }
      }
    }
  }
}
