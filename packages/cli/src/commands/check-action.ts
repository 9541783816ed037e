/** What `check` does (loaded when it runs; its flags are in check.ts). */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import { summarizeSpec } from "@effect-accelforge/core"
import { renderCheckReport } from "../format/check-report.ts"
import { loadFromFlags, writeJson } from "../spec-input.ts"
import type { SpecFlags } from "./spec-flags.ts"

export const action = ({ define, files, json, limit, set }: SpecFlags) =>
  Effect.gen(function*() {
    const loaded = yield* loadFromFlags(files, define, set, limit)
    const summary = summarizeSpec(loaded)
    if (Result.isFailure(summary)) return yield* Effect.fail(summary.failure)
    yield* Console.log(renderCheckReport(summary.success))
    if (Option.isSome(json)) yield* writeJson(json.value, { ...summary.success, warnings: loaded.warnings })
  })
