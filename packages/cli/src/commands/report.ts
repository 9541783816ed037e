/**
 * `effect-accelforge report --json-input FILE --html OUT [--plots DIR] [--capacity-axis AXIS]`:
 * the report of a sweep, from the list `results DB --json` writes (one object per point:
 * `point`, `status`, `energy`, `latency`, `error`, and `offChipBytes` for the ski-slope). The
 * flags are here; what the command does is in report-action.ts, loaded only when it runs.
 */
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import { htmlOut, plotsOut } from "../options.ts"
import { lazyAction } from "./lazy.ts"

const jsonInput = Flag.String("json-input").pipe(
  Flag.withDescription("The sweep's points as JSON: a list of {point: {axis: value}, status: \"done\" | \"failed\", energy, latency, error?, offChipBytes?}")
)

const capacityAxis = Flag.String("capacity-axis").pipe(
  Flag.withDescription("The axis that sets the on-chip capacity: draws the ski-slope (off-chip bytes against it)"),
  Flag.optional
)

export const reportCommand = Command.make(
  "report",
  { jsonInput, html: htmlOut, plots: plotsOut, capacityAxis },
  lazyAction(() => import("./report-action.ts"))
).pipe(
  Command.withDescription("Report of a sweep: the points as a table and charts (energy vs latency, each metric vs each axis, the ski-slope), as HTML and/or SVG files"),
  Command.withExamples([
    {
      command: "effect-accelforge report --json-input points.json --html sweep.html --capacity-axis BUFFER_KB",
      description: "One HTML page for a sweep's points, with the ski-slope over BUFFER_KB"
    }
  ])
)
