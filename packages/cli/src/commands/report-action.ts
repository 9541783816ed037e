/** What `effect-accelforge report` does (loaded when it runs; its flags are in report.ts). */
import { readFileSync } from "node:fs"
import { Console, Effect, Option } from "effect"
import { decodeSweepRecords, errorText, ReportError, sweepReport, writeHtml, writePlots } from "@effect-accelforge/report"
import { reportUserError } from "../report-error.ts"
import { chartFiles, type ReportFlags } from "../report-output.ts"

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

export interface SweepReportFlags extends ReportFlags {
  readonly jsonInput: string
  readonly capacityAxis: Option.Option<string>
}

export const action = ({ capacityAxis, html, jsonInput, plots }: SweepReportFlags) =>
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
