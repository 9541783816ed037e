/**
 * `effect-accelforge report --json-input FILE --html OUT [--plots DIR] [--capacity-axis AXIS]`:
 * the report of a sweep, from the list `results DB --json` writes (one object per point:
 * `point`, `status`, `energy`, `latency`, `error`, and `offChipBytes` for the ski-slope).
 */
import { readFileSync } from "node:fs"
import { Console, Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import { decodeSweepRecords, errorText, ReportError, sweepReport, writeHtml, writePlots } from "@effect-accelforge/report"
import { reportUserError } from "../report-error.ts"
import { chartFiles, htmlOut, plotsOut } from "../report-output.ts"

const jsonInput = Flag.String("json-input").pipe(
  Flag.withDescription("The sweep's points as JSON: a list of {point: {axis: value}, status: \"done\" | \"failed\", energy, latency, error?, offChipBytes?}")
)

const capacityAxis = Flag.String("capacity-axis").pipe(
  Flag.withDescription("The axis that sets the on-chip capacity: draws the ski-slope (off-chip bytes against it)"),
  Flag.optional
)

const readRecords = (file: string) =>
  Effect.gen(function*() {
    const text = yield* Effect.try({
      try: () => readFileSync(file, "utf8"),
      catch: (e) => new ReportError({ subject: file, path: [], reason: `cannot read: ${errorText(e)}` })
    })
    const json = yield* Effect.try({
      try: (): unknown => JSON.parse(text),
      catch: (e) => new ReportError({ subject: file, path: [], reason: `not JSON: ${errorText(e)}` })
    })
    return yield* Effect.fromResult(decodeSweepRecords(json, file))
  })

export const reportCommand = Command.make(
  "report",
  { jsonInput, html: htmlOut, plots: plotsOut, capacityAxis },
  ({ jsonInput, html, plots, capacityAxis }) =>
    Effect.gen(function*() {
      if (Option.isNone(html) && Option.isNone(plots)) {
        return yield* Effect.fail(new ReportError({ subject: "report", path: [], reason: "nothing to write: give --html FILE and/or --plots DIR" }))
      }
      const records = yield* readRecords(jsonInput)
      const report = yield* sweepReport({
        title: "Sweep report",
        subtitle: [`${jsonInput}: ${records.length} point(s)`],
        records,
        ...(Option.isSome(capacityAxis) ? { capacityAxis: capacityAxis.value } : {})
      })
      if (Option.isSome(html)) yield* writeHtml(html.value, report.html)
      if (Option.isSome(plots)) yield* writePlots(plots.value, chartFiles(report.charts))
      const done = records.filter((r) => r.status === "done").length
      yield* Console.log(`${records.length} point(s): ${done} done, ${records.length - done} failed; ${report.charts.length} chart(s)`)
    }).pipe(Effect.catchTag("ReportError", reportUserError))
).pipe(
  Command.withDescription("Report of a sweep: the points as a table and charts (energy vs latency, each metric vs each axis, the ski-slope), as HTML and/or SVG files"),
  Command.withExamples([
    {
      command: "effect-accelforge report --json-input points.json --html sweep.html --capacity-axis BUFFER_KB",
      description: "One HTML page for a sweep's points, with the ski-slope over BUFFER_KB"
    }
  ])
)
