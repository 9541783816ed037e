/**
 * A sweep, one metric against one axis: a point per finished sweep point, and a line through the
 * points that differ only in this axis (one series per combination of the other axes). Numeric
 * axes are quantitative (log when they span 16x or more), others ordinal in first-seen order.
 */
import { type Chart, chartConfig, SCHEMA, SI_FORMAT } from "../chart/chart.ts"
import { axesOf, type SweepRecord, seriesLabel } from "../sweep/sweep-record.ts"

export type SweepMetric = "energy" | "latency"
export const SWEEP_METRICS: ReadonlyArray<SweepMetric> = ["energy", "latency"]

const metricOf = (r: SweepRecord, metric: SweepMetric): number | undefined => {
  const v = r[metric]
  return r.status === "done" && typeof v === "number" && Number.isFinite(v) ? v : undefined
}

/** The x encoding for an axis's values: quantitative (maybe log) when all numbers, else ordinal. */
export const axisEncoding = (axis: string, values: ReadonlyArray<unknown>) => {
  const numbers = values.filter((v): v is number => typeof v === "number")
  if (numbers.length === values.length && numbers.length > 0) {
    const log = Math.min(...numbers) > 0 && Math.max(...numbers) / Math.min(...numbers) >= 16
    return { field: "x", type: "quantitative" as const, title: axis, scale: log ? { type: "log" as const } : { zero: false } }
  }
  return { field: "x", type: "ordinal" as const, title: axis, sort: [...new Set(values.map(String))] }
}

export const sweepAxisChart = (records: ReadonlyArray<SweepRecord>, axis: string, metric: SweepMetric): Chart => {
  const rows = records.flatMap((r) => {
    const y = metricOf(r, metric)
    const x = r.point[axis]
    return y === undefined || x === undefined ? [] : [{ x: typeof x === "number" ? x : String(x), [metric]: y, y, series: seriesLabel(r, [axis]) }]
  })
  const perSeries = new Map<string, number>()
  for (const r of rows) perSeries.set(r.series, (perSeries.get(r.series) ?? 0) + 1)
  const lines = [...perSeries].filter(([, n]) => n >= 2).map(([s]) => s)
  const failed = records.filter((r) => r.status === "failed" && r.point[axis] !== undefined).length
  const x = axisEncoding(axis, rows.map((r) => r.x))
  const y = { field: "y", type: "quantitative" as const, title: metric, scale: { zero: false }, axis: { format: SI_FORMAT } }
  const color = { field: "series", type: "nominal" as const, title: "other axes" }
  const title = `${metric} vs ${axis}`
  return {
    id: `sweep-${metric}-vs-${axis.replace(/[^A-Za-z0-9_-]+/g, "_")}`,
    title,
    caption: `${rows.length} finished point(s)${failed > 0 ? `, ${failed} failed (not drawn)` : ""}; a line joins points that differ only in ${axis}.`,
    expectedMarks: rows.length + lines.length,
    spec: {
      $schema: SCHEMA,
      title,
      width: 320,
      height: 220,
      config: chartConfig,
      data: { values: rows },
      layer: [
        { transform: [{ filter: { field: "series", oneOf: lines } }], mark: { type: "line" }, encoding: { x, y, color } },
        { mark: { type: "point", filled: true, size: 60, tooltip: true }, encoding: { x, y, color } }
      ]
    }
  }
}

/** One chart per (axis, metric) of the sweep. */
export const sweepAxisCharts = (records: ReadonlyArray<SweepRecord>): Array<Chart> =>
  axesOf(records).flatMap((axis) => SWEEP_METRICS.map((metric) => sweepAxisChart(records, axis, metric)))
