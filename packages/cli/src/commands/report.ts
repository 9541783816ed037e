/**
 * `effect-accelforge report DATABASE --html OUT [--plots DIR] [--sweep NAME] [--capacity-axis AXIS]`:
 * the report of a sweep, read from its results store (a SQLite file, or a cluster's PostgreSQL
 * URL), or with `--json-input FILE` from the list `results DB --json` writes (one object per
 * point: `point`, `status`, `energy`, `latency`, `error`, and `offChipBytes` for the
 * ski-slope). The flags are here; what the command does is in report-action.ts, loaded only
 * when it runs.
 */
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import { htmlOut, plotsOut } from "../options.ts"
import { lazyAction } from "./lazy.ts"

const database = Argument.String("database").pipe(
  Argument.withDescription("The sweep's results: a SQLite file, or postgres://... for a cluster (or give --json-input)"),
  Argument.optional
)

const jsonInput = Flag.String("json-input").pipe(
  Flag.withDescription("Instead of a database, the sweep's points as JSON: a list of {point: {axis: value}, status: \"done\" | \"failed\", energy, latency, error?, offChipBytes?}"),
  Flag.optional
)

const sweepName = Flag.String("sweep").pipe(Flag.withDescription("The sweep to report when the database holds several"), Flag.optional)

const capacityAxis = Flag.String("capacity-axis").pipe(
  Flag.withDescription("The axis that sets the on-chip capacity: draws the ski-slope (off-chip bytes against it)"),
  Flag.optional
)

export const reportCommand = Command.make(
  "report",
  { database, jsonInput, sweep: sweepName, html: htmlOut, plots: plotsOut, capacityAxis },
  lazyAction(() => import("./report-action.ts"))
).pipe(
  Command.withDescription("Report of a sweep: the points as a table and charts (energy vs latency, each metric vs each axis, the ski-slope), as HTML and/or SVG files"),
  Command.withExamples([
    {
      command: "effect-accelforge report examples/sweeps/systolic_tpu_like.sqlite --html sweep.html --capacity-axis SHARED_BUFFER_KB",
      description: "One HTML page for the example sweep's points, with the ski-slope over SHARED_BUFFER_KB"
    },
    {
      command: "effect-accelforge report --json-input points.json --plots sweep-plots/",
      description: "Each chart as an SVG file, from the list `results DB --json` wrote"
    }
  ])
)
