/**
 * `effect-accelforge sweep SWEEP.yaml`: search every point of a sweep (one mapping job each)
 * on a pool of `--jobs` processes and record each outcome in the results store (a SQLite file
 * next to the sweep file by default). Points already recorded are skipped, so a sweep stopped
 * by Ctrl-C or kill -9 resumes where it was. The pmapping cache is on by default (a folder next
 * to the sweep file): points that share an Einsum's search share its table.
 *
 * The flags are here; what the command does is in sweep-action.ts, loaded only when it runs.
 */
import { Argument, Command, Flag } from "effect/cli"
import { cacheFlag, noCacheFlag } from "../options.ts"
import { lazyAction } from "./lazy.ts"

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

export const sweepCommand = Command.make(
  "sweep",
  { sweep: sweepFile, jobs, db: dbFlag, cache: cacheFlag, noCache: noCacheFlag, cluster, quiet },
  lazyAction(() => import("./sweep-action.ts"))
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
