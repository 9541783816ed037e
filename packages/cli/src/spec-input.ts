/**
 * Turning command-line flags into a loaded spec, and writing JSON output.
 */
import { Effect, Result } from "effect"
import { writeFileSync } from "node:fs"
import { EvaluationError, loadSpec, parseDefines } from "@effect-accelforge/core"

export const loadFromFlags = (files: ReadonlyArray<string>, define: ReadonlyArray<string>, set: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const variables = parseDefines(define)
    if (Result.isFailure(variables)) return yield* Effect.fail(variables.failure)
    return yield* loadSpec({ files, variables: variables.success, overrides: set })
  })

/** JSON with Infinity written as a string (JSON has no infinity). */
export const toJson = (value: unknown): string =>
  JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v instanceof Map ? Object.fromEntries(v) : v), 2)

export const writeJson = (file: string, value: unknown) =>
  Effect.try({
    try: () => writeFileSync(file, toJson(value) + "\n"),
    catch: (e) => new EvaluationError({ path: ["--json"], reason: `cannot write ${file}: ${e instanceof Error ? e.message : String(e)}` })
  })
