/**
 * `effect-accelforge evaluate <files...> [--mapping FILE]`: evaluate one fixed mapping and
 * print energy, latency and their breakdown. The flags are here; what the command does is in
 * evaluate-action.ts, loaded only when it runs.
 */
import * as Flag from "effect/cli/Flag"
import * as Command from "effect/cli/Command"
import { defines, htmlOut, jsonOut, limits, overlapFlag, plotsOut, sets, specFiles, svgOut } from "../options.ts"
import { lazyAction } from "./lazy.ts"

export const mappingFile = Flag.String("mapping").pipe(
  Flag.withDescription("Mapping file (YAML, Jinja allowed; same -D variables). Its `mapping:` replaces any mapping in the spec files"),
  Flag.optional
)

export const evaluateCommand = Command.make(
  "evaluate",
  { files: specFiles, define: defines, set: sets, limit: limits, json: jsonOut, mapping: mappingFile, overlap: overlapFlag, svg: svgOut, html: htmlOut, plots: plotsOut },
  lazyAction(() => import("./evaluate-action.ts"))
).pipe(
  Command.withDescription("Evaluate one mapping: energy, latency, and their per-Einsum, per-component breakdown"),
  Command.withExamples([
    {
      command: "effect-accelforge evaluate examples/arches/two_level.yaml examples/workloads/matmul_chain.yaml --mapping examples/mappings/matmul_chain_two_level.yaml",
      description: "Evaluate a three-layer chain on the two-level arch, weights streamed through the scratchpad"
    },
    {
      command: "effect-accelforge evaluate examples/arches/overlap_demo.yaml examples/workloads/producer_consumer_cascade.yaml --mapping examples/mappings/producer_consumer_cascade.yaml --overlap pipeline",
      description: "The same mapping with Einsums pipelined under their shared fused loop; prints a timeline of Einsums and components"
    }
  ])
)
