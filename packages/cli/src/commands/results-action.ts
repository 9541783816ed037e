/** What `effect-accelforge results` does (loaded when it runs; its flags are in results.ts). */
import { writeFileSync } from "node:fs"
import { Console, Effect, Option } from "effect"
import { EvaluationError } from "@effect-accelforge/core"
import { existingResultsStoreLayer, ResultsStore } from "@effect-accelforge/sweep"
import { resultsCsv, resultsJson, resultsTable } from "../format/results-report.ts"
import { reportUserError } from "../report-error.ts"
import { writeJson } from "../spec-input.ts"

const writeCsv = (file: string, text: string) =>
  Effect.try({
    try: () => writeFileSync(file, text),
    catch: (e) => new EvaluationError({ path: ["--csv"], reason: `cannot write ${file}: ${e instanceof Error ? e.message : String(e)}` })
  })

export interface ResultsFlags {
  readonly database: string
  readonly sweep: Option.Option<string>
  readonly csv: Option.Option<string>
  readonly json: Option.Option<string>
}

export const action = ({ csv, database, json, sweep }: ResultsFlags) =>
  Effect.gen(function*() {
    const points = yield* Effect.gen(function*() {
      return yield* (yield* ResultsStore).list(Option.getOrUndefined(sweep))
    }).pipe(Effect.provide(existingResultsStoreLayer(database)))
    yield* Console.log(resultsTable(points))
    if (Option.isSome(csv)) yield* writeCsv(csv.value, resultsCsv(points))
    if (Option.isSome(json)) yield* writeJson(json.value, resultsJson(points))
  }).pipe(Effect.catchTags({ ResultsStoreError: reportUserError }))
