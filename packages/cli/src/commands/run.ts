/**
 * `effect-accelforge run <files...>`: search for the best mapping of the workload on the arch
 * and print its energy, latency and breakdown. The flags are here; what the command does is
 * in run-action.ts, loaded only when it runs.
 */
import * as Flag from "effect/cli/Flag"
import * as Command from "effect/cli/Command"
import { cacheFlag, defines, htmlOut, jsonOut, limits, noCacheFlag, overlapFlag, plotsOut, sets, specFiles, svgOut } from "../options.ts"
import { lazyAction } from "./lazy.ts"

const metric = Flag.String("metric").pipe(
  Flag.withDescription("What to minimize: energy, latency, edp, or several joined by '|' or ',' (a Pareto set); default: the spec's mapper.metrics"),
  Flag.optional
)

const jobs = Flag.Int("jobs").pipe(
  Flag.withDescription("Worker threads for the per-Einsum search (default: one per core)"),
  Flag.optional
)

const search = Flag.String("search").pipe(
  Flag.withDescription("Search strategy: ffm (default), exhaustive, linear-pruned, random, random-pruned, hybrid, sa or ga; default: mapper.search.algorithm"),
  Flag.optional
)

const quiet = Flag.Boolean("quiet").pipe(Flag.withDescription("No progress line on stderr"), Flag.withDefault(false))

const progress = Flag.Boolean("progress").pipe(
  Flag.withDescription("Progress as plain lines on stderr when it is not a terminal (search start, each Einsum searched, the join once a second)"),
  Flag.withDefault(false)
)

export const runCommand = Command.make(
  "run",
  { files: specFiles, define: defines, set: sets, limit: limits, json: jsonOut, svg: svgOut, html: htmlOut, plots: plotsOut, metric, overlap: overlapFlag, jobs, quiet, progress, cache: cacheFlag, noCache: noCacheFlag, search },
  lazyAction(() => import("./run-action.ts"))
).pipe(
  Command.withDescription(
    "Search for the best mapping (energy, latency or EDP) and print it with its breakdown; --json FILE also writes the record and search stats, --svg FILE draws the mapping's LoopTree"
  ),
  Command.withExamples([
    {
      command: "effect-accelforge run examples/arches/two_level.yaml examples/workloads/matmul_chain.yaml -D LAYERS=2",
      description: "Best-energy mapping of a two-layer matmul chain on the two-level arch"
    },
    {
      command: "effect-accelforge run examples/arches/two_level.yaml examples/workloads/transformer_block.yaml --metric edp --json out.json",
      description: "Minimize the energy-delay product of a transformer block; write the record and search stats"
    },
    {
      command: "effect-accelforge run examples/arches/two_level.yaml examples/workloads/matmul_chain.yaml -D LAYERS=2 --svg mapping.svg",
      description: "Also draw the chosen (fused) mapping as an SVG LoopTree"
    },
    {
      command: "effect-accelforge run examples/arches/two_level.yaml examples/workloads/matmul.yaml --search hybrid --set mapper.search.diagnostics=true",
      description: "Search with Timeloop's hybrid mapper instead of FFM, and count why mappings failed"
    }
  ])
)
