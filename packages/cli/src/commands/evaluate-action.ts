/**
 * What `effect-accelforge evaluate <files...> [--mapping FILE]` does (loaded when it runs; its
 * flags are in evaluate.ts): evaluate one fixed mapping (the
 * spec's own `mapping:`, or a separate file) and print energy, latency and their breakdown
 * (under `--overlap MODE` or the spec's `mapper.overlap`, with a timeline).
 * An invalid mapping is a user error: one message saying what is wrong and where, exit code 1.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import { parseDefines } from "@effect-accelforge/core"
import { Evaluator, loadMappingFile } from "@effect-accelforge/model"
import { reportUserError } from "../report-error.ts"
import { mappingJson, renderEvaluateReport } from "../format/evaluate-report.ts"
import { type ReportFlags, writeMappingReport } from "../report-output.ts"
import { loadFromFlags, writeJson } from "../spec-input.ts"
import { writeSvg } from "../svg-output.ts"
import { withOverlap } from "../options.ts"
import type { SpecFlags } from "./spec-flags.ts"

export interface EvaluateFlags extends SpecFlags, ReportFlags {
  readonly mapping: Option.Option<string>
  readonly overlap: Option.Option<string>
  readonly svg: Option.Option<string>
}

export const action = ({ define, files, html, json, limit, mapping, overlap, plots, set, svg }: EvaluateFlags) =>
  Effect.gen(function*() {
    const loaded = yield* loadFromFlags(files, define, withOverlap(set, overlap), limit)
    const variables = parseDefines(define)
    if (Result.isFailure(variables)) return yield* Effect.fail(variables.failure)
    const source = Option.isSome(mapping) ? yield* loadMappingFile(mapping.value, variables.success) : undefined
    const evaluator = yield* Evaluator
    const result = yield* evaluator.evaluate(loaded, source)
    yield* Console.log(renderEvaluateReport(result))
    const tree = source?.mapping ?? loaded.spec.mapping
    if (Option.isSome(json)) yield* writeJson(json.value, { mappings: [mappingJson(result, tree)] })
    if (Option.isSome(svg) && tree !== undefined) {
      yield* writeSvg(svg.value, tree, (einsum) => loaded.workload.einsumsByName.get(einsum)?.bounds ?? new Map<string, number>(), result.overlap)
    }
    yield* writeMappingReport({ html, plots }, () => ({
      title: "Evaluated mapping",
      subtitle: [[...files, ...(Option.isSome(mapping) ? [`--mapping ${mapping.value}`] : [])].join(" ")],
      loaded,
      result,
      mapping: tree
    }))
  }).pipe(Effect.catchTags({ InvalidMappingError: reportUserError, ReportError: reportUserError }), Effect.provide(Evaluator.layer))
