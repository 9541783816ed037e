/**
 * `effect-accelforge check <files...>`: load and validate a spec, then print what was read.
 */
import { Console, Effect, Option, Result } from "effect"
import { Command } from "effect/cli"
import { summarizeSpec } from "@effect-accelforge/core"
import { renderCheckReport } from "../format/check-report.ts"
import { defines, jsonOut, limits, sets, specFiles } from "../options.ts"
import { loadFromFlags, writeJson } from "../spec-input.ts"

export const checkCommand = Command.make(
  "check",
  { files: specFiles, define: defines, set: sets, limit: limits, json: jsonOut },
  ({ files, define, set, limit, json }) =>
    Effect.gen(function*() {
      const loaded = yield* loadFromFlags(files, define, set, limit)
      const summary = summarizeSpec(loaded)
      if (Result.isFailure(summary)) return yield* Effect.fail(summary.failure)
      yield* Console.log(renderCheckReport(summary.success))
      if (Option.isSome(json)) yield* writeJson(json.value, summary.success)
    })
).pipe(
  Command.withDescription("Load and validate a spec, then summarise its Einsums, tensors and evaluated arch"),
  Command.withExamples([
    {
      command: "effect-accelforge check examples/arches/two_level.yaml examples/workloads/matmul_chain.yaml -D LAYERS=2",
      description: "Check a two-level arch with a chain of two matmuls"
    }
  ])
)
