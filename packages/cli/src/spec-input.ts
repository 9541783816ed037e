/**
 * Turning command-line flags into a loaded spec, and writing JSON output.
 */
import { Effect, Result } from "effect"
import { writeFileSync } from "node:fs"
import { EvaluationError, loadSpec, parseDefines } from "@effect-accelforge/core"
import { toJson as recordJson } from "@effect-accelforge/sweep"

export const loadFromFlags = (files: ReadonlyArray<string>, define: ReadonlyArray<string>, set: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const variables = parseDefines(define)
    if (Result.isFailure(variables)) return yield* Effect.fail(variables.failure)
    return yield* loadSpec({ files, variables: variables.success, overrides: set })
  })

/** JSON with Infinity written as a string (JSON has no infinity), indented. */
export const toJson = (value: unknown): string => recordJson(value, 2)

export const writeJson = (file: string, value: unknown) =>
  Effect.try({
    try: () => writeFileSync(file, toJson(value) + "\n"),
    catch: (e) => new EvaluationError({ path: ["--json"], reason: `cannot write ${file}: ${e instanceof Error ? e.message : String(e)}` })
  })
