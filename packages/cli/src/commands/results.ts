/**
 * `effect-accelforge results DB`: list the points a sweep recorded (a SQLite file, or a
 * cluster's PostgreSQL URL), and export them: `--csv FILE` one row per point, `--json FILE` a
 * list with one object per point (`point`: axis values by name, `status`, `energy`,
 * `latency`, `error` for a failed point, the counters, and the JSON record).
 */
import { writeFileSync } from "node:fs"
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { EvaluationError } from "@effect-accelforge/core"
import { isPostgresUrl, resultsStoreLayer, ResultsStore } from "@effect-accelforge/sweep"
import { existsSync } from "node:fs"
import { resultsCsv, resultsJson, resultsTable } from "../format/results-report.ts"
import { reportUserError } from "../report-error.ts"
import { jsonOut } from "../options.ts"
import { writeJson } from "../spec-input.ts"

const database = Argument.String("database").pipe(Argument.withDescription("A sweep's results: a SQLite file, or postgres://... for a cluster"))

const csvOut = Flag.String("csv").pipe(Flag.withDescription("Also write the points as CSV (one row per point) to this file"), Flag.optional)

const sweepName = Flag.String("sweep").pipe(Flag.withDescription("Only this sweep's points (a database can hold several)"), Flag.optional)

const writeCsv = (file: string, text: string) =>
  Effect.try({
    try: () => writeFileSync(file, text),
    catch: (e) => new EvaluationError({ path: ["--csv"], reason: `cannot write ${file}: ${e instanceof Error ? e.message : String(e)}` })
  })

export const resultsCommand = Command.make(
  "results",
  { database, sweep: sweepName, csv: csvOut, json: jsonOut },
  ({ database, sweep, csv, json }) =>
    Effect.gen(function*() {
      // Reading must not create an empty database where the user mistyped a path.
      if (!isPostgresUrl(database) && !existsSync(database)) {
        return yield* Effect.fail(new EvaluationError({ path: ["database"], reason: `no results database at ${database}` }))
      }
      const points = yield* Effect.gen(function*() {
        return yield* (yield* ResultsStore).list(Option.getOrUndefined(sweep))
      }).pipe(Effect.provide(resultsStoreLayer(database)))
      yield* Console.log(resultsTable(points))
      if (Option.isSome(csv)) yield* writeCsv(csv.value, resultsCsv(points))
      if (Option.isSome(json)) yield* writeJson(json.value, resultsJson(points))
    }).pipe(Effect.catchTags({ ResultsStoreError: reportUserError }))
).pipe(
  Command.withDescription("List a sweep's recorded points (status, energy, latency, EDP, errors); --csv FILE and --json FILE export them"),
  Command.withExamples([
    {
      command: "effect-accelforge results examples/sweeps/systolic_tpu_like.sqlite --json points.json",
      description: "List the example sweep's points and write them as a JSON list"
    }
  ])
)
