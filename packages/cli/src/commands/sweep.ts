/**
 * `effect-accelforge sweep SWEEP.yaml`: search every point of a sweep (one mapping job each)
 * on a pool of `--jobs` processes and record each outcome in the results store (a SQLite file
 * next to the sweep file by default). Points already recorded are skipped, so a sweep stopped
 * by Ctrl-C or kill -9 resumes where it was. The pmapping cache is on by default (a folder next
 * to the sweep file): points that share an Einsum's search share its table.
 */
import { availableParallelism } from "node:os"
import { basename, dirname, extname, isAbsolute, join, relative } from "node:path"
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { EvaluationError } from "@effect-accelforge/core"
import { isPostgresUrl, loadSweep, redactedUrl, ResultsStore, runSweepLocally, runSweepOnCluster, type Sweep, type SweepSummary } from "@effect-accelforge/sweep"
import { cacheDirectory, cacheFlag, checkCacheFlags, noCacheFlag } from "../cache-flags.ts"
import { reportUserError } from "../report-error.ts"

export const sweepFile = Argument.String("sweep").pipe(Argument.withDescription("The sweep file (YAML): files, define/set/metrics axes or points"))

const jobs = Flag.Int("jobs").pipe(
  Flag.withDescription("Points searched at once, each in its own process (default: one per core); each point's search gets cores / jobs threads"),
  Flag.optional
)

export const dbFlag = Flag.String("db").pipe(
  Flag.withDescription("The results database: a SQLite file (default: SWEEP.sqlite next to the sweep file)"),
  Flag.optional
)

const cluster = Flag.String("cluster").pipe(
  Flag.withDescription("Send the points to a cluster's runners (postgres://...); the results table is in that database"),
  Flag.optional
)

const quiet = Flag.Boolean("quiet").pipe(Flag.withDescription("No line per point on stderr"), Flag.withDefault(false))

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

export const sweepCommand = Command.make(
  "sweep",
  { sweep: sweepFile, jobs, db: dbFlag, cache: cacheFlag, noCache: noCacheFlag, cluster, quiet },
  ({ sweep: file, jobs, db, cache, noCache, cluster, quiet }) =>
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
).pipe(
  Command.withDescription(
    "Search every point of a sweep file (axes over Jinja variables, --set paths and metrics) on a pool of processes; results go to a SQLite database, and a second run searches only the missing points"
  ),
  Command.withExamples([
    {
      command: "effect-accelforge sweep examples/sweeps/systolic_tpu_like.yaml --jobs 2",
      description: "12 points (3 shared-buffer sizes x 2 array sizes x 2 token counts) into examples/sweeps/systolic_tpu_like.sqlite"
    }
  ])
)
