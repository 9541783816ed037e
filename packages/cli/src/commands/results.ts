/**
 * `effect-accelforge results DB`: list the points a sweep recorded (a SQLite file, or a
 * cluster's PostgreSQL URL), and export them: `--csv FILE` one row per point, `--json FILE` a
 * list with one object per point (`point`: axis values by name, `status`, `energy`,
 * `latency`, `error` for a failed point, the counters, and the JSON record).
 * The flags are here; what the command does is in results-action.ts, loaded only when it runs.
 */
import { Argument, Command, Flag } from "effect/cli"
import { jsonOut } from "../options.ts"
import { lazyAction } from "./lazy.ts"

const database = Argument.String("database").pipe(Argument.withDescription("A sweep's results: a SQLite file, or postgres://... for a cluster"))

const csvOut = Flag.String("csv").pipe(Flag.withDescription("Also write the points as CSV (one row per point) to this file"), Flag.optional)

const sweepName = Flag.String("sweep").pipe(Flag.withDescription("Only this sweep's points (a database can hold several)"), Flag.optional)

export const resultsCommand = Command.make(
  "results",
  { database, sweep: sweepName, csv: csvOut, json: jsonOut },
  lazyAction(() => import("./results-action.ts"))
).pipe(
  Command.withDescription("List a sweep's recorded points (status, energy, latency, EDP, errors); --csv FILE and --json FILE export them"),
  Command.withExamples([
    {
      command: "effect-accelforge results examples/sweeps/systolic_tpu_like.sqlite --json points.json",
      description: "List the example sweep's points and write them as a JSON list"
    }
  ])
)
