/**
 * The report of a sweep, over the list `results DB --json` gives: a table of every point,
 * energy vs latency over the finished points (their Pareto front marked), each metric against
 * each axis and, when the capacity axis is named, the ski-slope.
 */
import { Effect } from "effect"
import type { Chart } from "./chart/chart.ts"
import { paretoFrontChart } from "./charts/pareto-front.ts"
import { skiSlopeChart } from "./charts/ski-slope.ts"
import { sweepAxisCharts } from "./charts/sweep-axis.ts"
import { ReportError } from "./errors.ts"
import { htmlDocument } from "./html/document.ts"
import { htmlTable } from "./html/html-table.ts"
import { chartFigure, type RenderedChart, renderCharts } from "./mapping-report.ts"
import { axesOf, type SweepRecord } from "./sweep/sweep-record.ts"

export interface SweepReportInput {
  readonly title: string
  readonly subtitle: ReadonlyArray<string>
  readonly records: ReadonlyArray<SweepRecord>
  /** The axis holding the on-chip capacity: draws the ski-slope (needs `offChipBytes` in the records). */
  readonly capacityAxis?: string
}

export interface SweepReport {
  readonly charts: ReadonlyArray<RenderedChart>
  readonly html: string
}

const pointText = (r: SweepRecord): string => Object.entries(r.point).map(([k, v]) => `${k}=${String(v)}`).join(", ")

export const sweepCharts = (input: SweepReportInput): Array<Chart> => {
  const done = input.records.filter((r) => r.status === "done" && typeof r.energy === "number" && typeof r.latency === "number")
  return [
    ...(done.length >= 2 ? [paretoFrontChart(done.map((r) => ({ energy: r.energy!, latency: r.latency!, label: pointText(r) })), "sweep-pareto-front")] : []),
    ...sweepAxisCharts(input.records),
    ...(input.capacityAxis === undefined ? [] : [skiSlopeChart(input.records, input.capacityAxis)])
  ]
}

const pointsTable = (records: ReadonlyArray<SweepRecord>): string => {
  const axes = axesOf(records)
  return htmlTable(
    "points",
    `Points (${records.filter((r) => r.status === "done").length} done, ${records.filter((r) => r.status === "failed").length} failed)`,
    [...axes.map((a) => ({ header: a })), { header: "status" }, { header: "energy", field: "energy" }, { header: "latency", field: "latency" }, { header: "off-chip bytes", field: "offChipBytes" }, { header: "error" }],
    records.map((r, i) => ({
      keys: { index: String(i), status: r.status },
      cells: [
        ...axes.map((a) => (r.point[a] === undefined ? "" : String(r.point[a]))),
        r.status,
        typeof r.energy === "number" ? r.energy : "-",
        typeof r.latency === "number" ? r.latency : "-",
        typeof r.offChipBytes === "number" ? r.offChipBytes : "-",
        r.error ?? ""
      ]
    }))
  )
}

/** The capacity axis must be one of the points' axes (a typo would draw an empty ski-slope). */
const checkCapacityAxis = (input: SweepReportInput): Effect.Effect<void, ReportError> => {
  const axes = axesOf(input.records)
  return input.capacityAxis === undefined || axes.includes(input.capacityAxis)
    ? Effect.void
    : Effect.fail(new ReportError({ subject: "--capacity-axis", path: [], reason: `no axis ${input.capacityAxis}; the points' axes are ${axes.join(", ") || "none"}` }))
}

export const sweepReport = (input: SweepReportInput): Effect.Effect<SweepReport, ReportError> =>
  Effect.gen(function*() {
    yield* checkCapacityAxis(input)
    const charts = yield* renderCharts(sweepCharts(input))
    const note = input.capacityAxis === undefined ? `<p class="note">Name the on-chip capacity axis (--capacity-axis) to draw the ski-slope.</p>` : ""
    const html = htmlDocument({
      title: input.title,
      subtitle: input.subtitle,
      sections: [
        { title: "Points", html: pointsTable(input.records) },
        { title: "Charts", ...(note === "" ? {} : { html: note }), figures: charts.map(chartFigure) }
      ]
    })
    return { charts, html }
  })
