/**
 * Orojenesis' ski-slope: off-chip traffic against on-chip capacity over a sweep of the
 * capacity axis. Each finished point with an `offChipBytes` is one point; points that differ
 * only in the capacity axis are joined (one line per combination of the other axes). Log-log:
 * traffic falls in steps as tiles that fit on chip grow.
 */
import { type Chart, chartConfig, SCHEMA, SI_FORMAT } from "../chart/chart.ts"
import { type SweepRecord, seriesLabel } from "../sweep/sweep-record.ts"

export interface SkiSlopeRow {
  readonly capacity: number
  readonly traffic: number
  readonly series: string
}

export const skiSlopeRows = (records: ReadonlyArray<SweepRecord>, capacityAxis: string): Array<SkiSlopeRow> =>
  records.flatMap((r) => {
    const capacity = r.point[capacityAxis]
    const traffic = r.offChipBytes
    return r.status === "done" && typeof capacity === "number" && capacity > 0 && typeof traffic === "number" && traffic > 0
      ? [{ capacity, traffic, series: seriesLabel(r, [capacityAxis]) }]
      : []
  })

/** Finished points at a positive capacity that have no off-chip bytes (recorded before the store kept them). */
const withoutTraffic = (records: ReadonlyArray<SweepRecord>, capacityAxis: string): number =>
  records.filter((r) => r.status === "done" && typeof r.point[capacityAxis] === "number" && (r.offChipBytes === undefined || r.offChipBytes === null)).length

export const skiSlopeChart = (records: ReadonlyArray<SweepRecord>, capacityAxis: string): Chart => {
  const rows = skiSlopeRows(records, capacityAxis)
  const missing = withoutTraffic(records, capacityAxis)
  const series = new Map<string, number>()
  for (const r of rows) series.set(r.series, (series.get(r.series) ?? 0) + 1)
  const lines = [...series].filter(([, n]) => n >= 2).map(([s]) => s)
  const x = { field: "capacity", type: "quantitative" as const, title: `on-chip capacity (${capacityAxis})`, scale: { type: "log" as const }, axis: { format: SI_FORMAT } }
  const y = { field: "traffic", type: "quantitative" as const, title: "off-chip traffic (bytes)", scale: { type: "log" as const }, axis: { format: SI_FORMAT } }
  const color = { field: "series", type: "nominal" as const, title: "other axes" }
  return {
    id: "ski-slope",
    title: "Ski-slope: off-chip traffic vs on-chip capacity",
    caption: `Bytes moved across the outermost memory at each ${capacityAxis}, ${rows.length} point(s); a line joins points that differ only in ${capacityAxis}.` +
      (missing === 0 ? "" : ` ${missing} finished point(s) have no off-chip bytes (recorded before the results store kept them) and are not drawn.`),
    expectedMarks: rows.length + lines.length,
    spec: {
      $schema: SCHEMA,
      title: "Ski-slope: off-chip traffic vs on-chip capacity",
      width: 340,
      height: 240,
      config: chartConfig,
      data: { values: rows.map((r) => ({ ...r })) },
      layer: [
        { transform: [{ filter: { field: "series", oneOf: lines } }], mark: { type: "line", interpolate: "step-after" }, encoding: { x, y, color } },
        { mark: { type: "point", filled: true, size: 60, tooltip: true }, encoding: { x, y, color } }
      ]
    }
  }
}
