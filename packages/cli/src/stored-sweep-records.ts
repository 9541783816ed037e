/**
 * A sweep's points from its results store, as the records the sweep report draws: the list
 * `results DB --json` writes (so `report DB` and `report --json-input` of that list draw the
 * same report), for one sweep of the database.
 */
import { Effect, Option } from "effect"
import { decodeSweepRecords, ReportError, type SweepRecord } from "@effect-accelforge/report"
import { existingResultsStoreLayer, ResultsStore, type ResultsStoreError, type StoredPoint } from "@effect-accelforge/sweep"
import { resultsJson } from "./format/results-report.ts"

export interface SweepRecords {
  /** Where the points came from (the database and the sweep), for the report's subtitle. */
  readonly origin: string
  readonly records: ReadonlyArray<SweepRecord>
}

/** An axis value the charts can place: a number, string or boolean as it is, anything else (a list given by `set`) as its JSON. */
const scalar = (v: unknown): unknown => (typeof v === "number" || typeof v === "string" || typeof v === "boolean" ? v : JSON.stringify(v))

const recordsOf = (points: ReadonlyArray<StoredPoint>, database: string) =>
  decodeSweepRecords(resultsJson(points).map((p) => ({ ...p, point: Object.fromEntries(Object.entries(p.point).map(([k, v]) => [k, scalar(v)])) })), database)

const failure = (database: string, reason: string) => Effect.fail(new ReportError({ subject: database, path: [], reason }))

/** The points of `sweep` (needed only when the database holds several). */
export const storedSweepRecords = (database: string, sweep: Option.Option<string>): Effect.Effect<SweepRecords, ReportError | ResultsStoreError> =>
  Effect.gen(function*() {
    const points = yield* Effect.gen(function*() {
      return yield* (yield* ResultsStore).list(Option.getOrUndefined(sweep))
    }).pipe(Effect.provide(existingResultsStoreLayer(database)))
    const sweeps = [...new Set(points.map((p) => p.sweep))]
    if (sweeps.length > 1) return yield* failure(database, `it holds ${sweeps.length} sweeps (${sweeps.join(", ")}): choose one with --sweep NAME`)
    if (points.length === 0) return yield* failure(database, Option.isSome(sweep) ? `no points of sweep ${sweep.value}` : "no points recorded")
    return { origin: `${database}, sweep ${sweeps[0]}`, records: yield* Effect.fromResult(recordsOf(points, database)) }
  })
