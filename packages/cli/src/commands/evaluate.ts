/**
 * `effect-accelforge evaluate <files...> [--mapping FILE]`: evaluate one fixed mapping (the
 * spec's own `mapping:`, or a separate file) and print energy, latency and their breakdown.
 * An invalid mapping is a user error: one message saying what is wrong and where, exit code 1.
 */
import { Console, Effect, Option, Result } from "effect"
import { Command, Flag } from "effect/cli"
import { parseDefines } from "@effect-accelforge/core"
import { Evaluator, loadMappingFile } from "@effect-accelforge/model"
import { reportUserError } from "../report-error.ts"
import { evaluationJson, renderEvaluateReport } from "../format/evaluate-report.ts"
import { defines, jsonOut, sets, specFiles } from "../options.ts"
import { loadFromFlags, writeJson } from "../spec-input.ts"
import { htmlOut, plotsOut, writeMappingReport } from "../report-output.ts"
import { svgOut, writeSvg } from "./run.ts"

export const mappingFile = Flag.String("mapping").pipe(
  Flag.withDescription("Mapping file (YAML, Jinja allowed; same -D variables). Its `mapping:` replaces any mapping in the spec files"),
  Flag.optional
)

export const evaluateCommand = Command.make(
  "evaluate",
  { files: specFiles, define: defines, set: sets, json: jsonOut, mapping: mappingFile, svg: svgOut, html: htmlOut, plots: plotsOut },
  ({ files, define, set, json, mapping, svg, html, plots }) =>
    Effect.gen(function*() {
      const loaded = yield* loadFromFlags(files, define, set)
      const variables = parseDefines(define)
      if (Result.isFailure(variables)) return yield* Effect.fail(variables.failure)
      const source = Option.isSome(mapping) ? yield* loadMappingFile(mapping.value, variables.success) : undefined
      const evaluator = yield* Evaluator
      const result = yield* evaluator.evaluate(loaded, source)
      yield* Console.log(renderEvaluateReport(result))
      const tree = source?.mapping ?? loaded.spec.mapping
      if (Option.isSome(json)) yield* writeJson(json.value, { mappings: [evaluationJson(result, tree)] })
      if (Option.isSome(svg) && tree !== undefined) {
        yield* writeSvg(svg.value, tree, (einsum) => loaded.workload.einsumsByName.get(einsum)?.bounds ?? new Map<string, number>())
      }
      yield* writeMappingReport({ html, plots }, () => ({
        title: "Evaluated mapping",
        subtitle: [[...files, ...(Option.isSome(mapping) ? [`--mapping ${mapping.value}`] : [])].join(" ")],
        loaded,
        result,
        mapping: tree
      }))
    }).pipe(Effect.catchTags({ InvalidMappingError: reportUserError, ReportError: reportUserError }))
).pipe(
  Command.provide(Evaluator.layer),
  Command.withDescription("Evaluate one mapping: energy, latency, and their per-Einsum, per-component breakdown"),
  Command.withExamples([
    {
      command: "effect-accelforge evaluate examples/arches/two_level.yaml examples/workloads/matmul_chain.yaml --mapping examples/mappings/matmul_chain_two_level.yaml",
      description: "Evaluate a three-layer chain on the two-level arch, weights streamed through the scratchpad"
    }
  ])
)
