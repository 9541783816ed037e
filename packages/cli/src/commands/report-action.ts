/** What `effect-accelforge report` does (loaded when it runs; its flags are in report.ts). */
import { readFileSync } from "node:fs"
import { Console, Effect, Option } from "effect"
import { decodeSweepRecords, errorText, ReportError, sweepReport, writeHtml, writePlots } from "@effect-accelforge/report"
import { reportUserError } from "../report-error.ts"
import { storedSweepRecords, type SweepRecords } from "../stored-sweep-records.ts"
import { chartFiles, type ReportFlags } from "../report-output.ts"

const readJsonInput = (file: string): Effect.Effect<SweepRecords, ReportError> =>
  Effect.gen(function*() {
    const text = yield* Effect.try({
      try: () => readFileSync(file, "utf8"),
      catch: (e) => new ReportError({ subject: file, path: [], reason: `cannot read: ${errorText(e)}` })
    })
    const json = yield* Effect.try({
      try: (): unknown => JSON.parse(text),
      catch: (e) => new ReportError({ subject: file, path: [], reason: `not JSON: ${errorText(e)}` })
    })
    return { origin: file, records: yield* Effect.fromResult(decodeSweepRecords(json, file)) }
  })

export interface SweepReportFlags extends ReportFlags {
  readonly database: Option.Option<string>
  readonly jsonInput: Option.Option<string>
  readonly sweep: Option.Option<string>
  readonly capacityAxis: Option.Option<string>
}

const misuse = (reason: string) => Effect.fail(new ReportError({ subject: "report", path: [], reason }))

/** The points from the database or the JSON list, whichever was given (exactly one). */
const readSource = ({ database, jsonInput, sweep }: SweepReportFlags) => {
  if (Option.isSome(database) && Option.isNone(jsonInput)) return storedSweepRecords(database.value, sweep)
  if (Option.isSome(jsonInput) && Option.isNone(database)) {
    return Option.isSome(sweep) ? misuse("--sweep chooses a sweep of a database; a --json-input list is reported as it is") : readJsonInput(jsonInput.value)
  }
  return misuse("give the sweep's database (report DB) or --json-input FILE, one of them")
}

export const action = (flags: SweepReportFlags) =>
  Effect.gen(function*() {
    const { capacityAxis, html, plots } = flags
    if (Option.isNone(html) && Option.isNone(plots)) return yield* misuse("nothing to write: give --html FILE and/or --plots DIR")
    const source = yield* readSource(flags)
    const { records } = source
    const report = yield* sweepReport({
      title: "Sweep report",
      subtitle: [`${source.origin}: ${records.length} point(s)`],
      records,
      ...(Option.isSome(capacityAxis) ? { capacityAxis: capacityAxis.value } : {})
    })
    if (Option.isSome(html)) yield* writeHtml(html.value, report.html)
    if (Option.isSome(plots)) yield* writePlots(plots.value, chartFiles(report.charts))
    const done = records.filter((r) => r.status === "done").length
    yield* Console.log(`${records.length} point(s): ${done} done, ${records.length - done} failed; ${report.charts.length} chart(s)`)
  }).pipe(Effect.catchTags({ ReportError: reportUserError, ResultsStoreError: reportUserError }))
