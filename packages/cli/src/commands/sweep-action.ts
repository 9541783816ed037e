/** What `effect-accelforge sweep` does (loaded when it runs; its flags are in sweep.ts). */
import { availableParallelism } from "node:os"
import { basename, dirname, extname, isAbsolute, join, relative } from "node:path"
import { Console, Effect, Option } from "effect"
import { EvaluationError } from "@effect-accelforge/core"
import { isPostgresUrl, loadSweep, redactedUrl, ResultsStore, runSweepLocally, runSweepOnCluster, type Sweep, type SweepSummary } from "@effect-accelforge/sweep"
import { cacheDirectory, checkCacheFlags } from "../cache-flags.ts"
import { reportUserError } from "../report-error.ts"

const defaultDatabase = (sweep: Sweep): string => join(dirname(sweep.file), `${basename(sweep.file, extname(sweep.file))}.sqlite`)

export const positiveJobs = (value: Option.Option<number>, flag = "--jobs") => {
  const n = Option.getOrElse(value, () => availableParallelism())
  return Number.isInteger(n) && n >= 1 ? Effect.succeed(n) : Effect.fail(new EvaluationError({ path: [flag], reason: `${flag} must be a positive integer, got ${n}` }))
}

/** A file under the current folder as a relative path (as the user would type it). */
const shown = (database: string): string => {
  if (isPostgresUrl(database)) return database
  const near = relative(process.cwd(), database)
  return near === "" || near.startsWith("..") || isAbsolute(near) ? database : near
}

export const summaryLine = (s: SweepSummary, database: string): string =>
  `${s.points} point(s): ${s.before} recorded before, ${s.searched} searched now (${s.failed} failed); results in ${shown(database)}`

export interface SweepFlags {
  readonly sweep: string
  readonly jobs: Option.Option<number>
  readonly db: Option.Option<string>
  readonly cache: Option.Option<string>
  readonly noCache: boolean
  readonly cluster: Option.Option<string>
  readonly quiet: boolean
}

export const action = ({ cache, cluster, db, jobs, noCache, quiet, sweep: file }: SweepFlags) =>
  Effect.gen(function*() {
    yield* checkCacheFlags({ cache, noCache })
    const sweep = yield* loadSweep(file)
    const log = quiet ? () => {} : (line: string) => process.stderr.write(line + "\n")
    if (Option.isSome(cluster)) {
      const runnersOwn = Option.isSome(db) ? "--db" : Option.isSome(jobs) ? "--jobs" : Option.isSome(cache) || noCache ? "--cache" : undefined
      if (runnersOwn !== undefined) {
        return yield* Effect.fail(new EvaluationError({
          path: [runnersOwn],
          reason: "with --cluster the results are in the cluster's database and the runners search (runner --jobs N --cache DIR); drop " + runnersOwn
        }))
      }
      const summary = yield* runSweepOnCluster(sweep, cluster.value, log)
      return yield* Console.log(summaryLine(summary, redactedUrl(cluster.value)))
    }
    const processes = yield* positiveJobs(jobs)
    const database = Option.getOrElse(db, () => defaultDatabase(sweep))
    const summary = yield* runSweepLocally(sweep, {
      jobs: processes,
      threadsPerPoint: Math.max(1, Math.floor(availableParallelism() / processes)),
      cacheDirectory: cacheDirectory({ cache, noCache }, join(dirname(sweep.file), "pmapping-cache")),
      log
    }).pipe(Effect.provide(ResultsStore.sqlite(database)))
    yield* Console.log(summaryLine(summary, database))
  }).pipe(Effect.catchTags({ SweepFileError: reportUserError, ResultsStoreError: reportUserError, SweepClusterError: reportUserError }))
