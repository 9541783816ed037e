/**
 * `effect-accelforge compare <files...> --search ffm,hybrid,sa,ga [--budget N | Ns]`: run each
 * strategy on the same spec and mapspace and report, per strategy, its best score, how far it is
 * from FFM's optimum, and the evaluations and seconds it took to reach its best and to come
 * within 1% and 5% of FFM's optimum. The flags are here; what the command does is in
 * compare-action.ts, loaded only when it runs.
 */
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import { defines, jsonOut, limits, sets, specFiles } from "../options.ts"
import { lazyAction } from "./lazy.ts"

const search = Flag.String("search").pipe(
  Flag.withDescription("Strategies to compare, comma-separated (FFM always runs first, as the reference)"),
  Flag.withDefault("ffm,hybrid,sa,ga")
)

const budget = Flag.String("budget").pipe(
  Flag.withDescription("Cap on every strategy but FFM: evaluations (e.g. 1e6) or seconds (e.g. 30s)"),
  Flag.optional
)

const jobs = Flag.Int("jobs").pipe(Flag.withDescription("Worker threads for each strategy (default 1, so seconds compare like for like)"), Flag.withDefault(1))
const svg = Flag.String("svg").pipe(Flag.withDescription("Also draw the convergence curves (score vs evaluations, log scales) to this SVG file"), Flag.optional)
const quiet = Flag.Boolean("quiet").pipe(Flag.withDescription("No progress line on stderr"), Flag.withDefault(false))

export const compareCommand = Command.make(
  "compare",
  { files: specFiles, define: defines, set: sets, limit: limits, json: jsonOut, svg, jobs, quiet, search, budget },
  lazyAction(() => import("./compare-action.ts"))
).pipe(
  Command.withDescription(
    "Run several search strategies on the same spec and mapspace; per strategy: best score, gap to FFM's optimum, evaluations and seconds to reach it and to come within 1% and 5% of FFM's optimum"
  ),
  Command.withExamples([
    {
      command: "effect-accelforge compare examples/arches/two_level.yaml examples/workloads/matmul_chain.yaml -D LAYERS=2 --search ffm,hybrid,sa,ga --budget 1e6",
      description: "FFM against Timeloop's hybrid, simulated annealing and a genetic algorithm, each capped at a million evaluations"
    }
  ])
)
