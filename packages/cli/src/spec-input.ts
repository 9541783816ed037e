/**
 * Turning command-line flags into a loaded spec, and writing JSON output.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { environmentLimits, EvaluationError, writeFileAtomically, LIMITS_ENV, loadSpec, parseDefines, parseLimits, requireEinsums } from "@effect-accelforge/core"
import { withDefaultSignals } from "./signals.ts"
import { toJson as recordJson } from "@effect-accelforge/sweep/evaluation-record"

export const loadFromFlags = (
  files: ReadonlyArray<string>,
  define: ReadonlyArray<string>,
  set: ReadonlyArray<string>,
  limit: ReadonlyArray<string> = []
) =>
  Effect.gen(function*() {
    const variables = parseDefines(define)
    if (Result.isFailure(variables)) return yield* Effect.fail(variables.failure)
    const limits = parseLimits(limit, environmentLimits())
    if ("error" in limits) return yield* Effect.fail(new EvaluationError({ path: ["--limit"], reason: limits.error }))
    // Later loads of this run (the mapper's, in worker threads too) read the raised limits here.
    if (limit.length > 0) process.env[LIMITS_ENV] = Object.entries(limits.limits).map(([k, v]) => `${k}=${v}`).join(",")
    // Loading is synchronous: let Ctrl-C end it at once (see signals.ts).
    const loaded = yield* withDefaultSignals(loadSpec({ files, variables: variables.success, overrides: set, limits: limits.limits }))
    for (const warning of loaded.warnings) yield* Console.error(`warning: ${warning}`)
    const withEinsums = requireEinsums(loaded)
    if (Result.isFailure(withEinsums)) return yield* Effect.fail(withEinsums.failure)
    return loaded
  })

/** JSON with Infinity written as a string (JSON has no infinity), indented. */
export const toJson = (value: unknown): string => recordJson(value, 2)

export const writeJson = (file: string, value: unknown) =>
  Effect.try({
    try: () => writeFileAtomically(file, toJson(value) + "\n"),
    catch: (e) => new EvaluationError({ path: ["--json"], reason: `cannot write ${file}: ${e instanceof Error ? e.message : String(e)}` })
  })
