/**
 * `--html FILE` and `--plots DIR`, shared by `run` and `evaluate` (and `report`): the pictures
 * of a result, made only when asked (the chart libraries load only then).
 */
import { Effect, Option } from "effect"
import { mappingReport, type MappingReportInput, type RenderedChart, type ReportError, timelineEntries, writeHtml, writePlots } from "@effect-accelforge/report"

// The flags live with the other flags, so that parsing the command line loads no report code.
export { htmlOut, plotsOut } from "./options.ts"

export interface ReportFlags {
  readonly html: Option.Option<string>
  readonly plots: Option.Option<string>
}

export const chartFiles = (charts: ReadonlyArray<RenderedChart>) => charts.map((c) => ({ name: c.chart.id, svg: c.svg }))

/** The report's input with the latency timeline from the result's overlap breakdown (every mode; none: bars in sequence). */
const withTimeline = (input: MappingReportInput): MappingReportInput =>
  input.timeline !== undefined ? input : { ...input, timeline: timelineEntries(input.result.overlap) }

/** Builds the report of one mapping when `--html` or `--plots` is given, and writes it. */
export const writeMappingReport = (flags: ReportFlags, input: () => MappingReportInput): Effect.Effect<void, ReportError> =>
  Option.isNone(flags.html) && Option.isNone(flags.plots)
    ? Effect.void
    : Effect.gen(function*() {
      const report = yield* mappingReport(withTimeline(input()))
      if (Option.isSome(flags.html)) yield* writeHtml(flags.html.value, report.html)
      if (Option.isSome(flags.plots)) yield* writePlots(flags.plots.value, [...chartFiles(report.charts), { name: "workload-graph", svg: report.graphSvg }])
    })
