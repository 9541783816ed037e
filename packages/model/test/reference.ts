/**
 * Test helpers for AccelForge's reference files in ../shared (skipped when absent): loading a
 * case the way the reference did, and comparing our result with a regression record.
 */
import { existsSync, readFileSync } from "node:fs"
import { resolve } from "node:path"
import { Effect, Result } from "effect"
import { type LoadedSpec, loadSpec } from "@effect-accelforge/core"
import { type EvaluationResult, evaluateMapping, loadMappingFile, type MappingSource, type RegressionRecord } from "../src/index.ts"

export { close, type Comparison, compareWithRegression, type RegressionRecord } from "../src/index.ts"

export const SHARED = resolve(import.meta.dirname, "../../../../shared")
export const ACCELFORGE = resolve(SHARED, "reference/accelforge")
export const HAS_SHARED = existsSync(ACCELFORGE)
export const REPO = resolve(import.meta.dirname, "../../..")

export const af = (path: string): string => resolve(ACCELFORGE, path)

export const load = (files: ReadonlyArray<string>, variables: Record<string, unknown> = {}, overrides: ReadonlyArray<string> = []): Promise<LoadedSpec> =>
  Effect.runPromise(loadSpec({ files, variables, overrides }))

export const loadMapping = (file: string, variables: Record<string, unknown> = {}): Promise<MappingSource> =>
  Effect.runPromise(loadMappingFile(file, variables))

export const evaluateOk = (loaded: LoadedSpec, mapping?: MappingSource): EvaluationResult => {
  const r = evaluateMapping(loaded, mapping)
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}

export const regressionCase = (key: string): RegressionRecord =>
  (JSON.parse(readFileSync(af("expected/regression_public.json"), "utf8")) as Record<string, RegressionRecord>)[key]!

