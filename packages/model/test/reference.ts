/**
 * Test helpers for AccelForge's reference files in ../shared (skipped when absent): loading a
 * case the way the reference did, and comparing our result with a regression record.
 */
import { existsSync, readFileSync } from "node:fs"
import { resolve } from "node:path"
import { Effect, Result } from "effect"
import { type LoadedSpec, loadSpec } from "@effect-accelforge/core"
import { type EvaluationResult, evaluateMapping, groupEntries, loadMappingFile, type MappingSource } from "../src/index.ts"

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

export interface RegressionRecord {
  readonly energy: number
  readonly latency: number
  readonly energy_per_component: Readonly<Record<string, number>>
  readonly latency_per_component: Readonly<Record<string, number>>
  readonly actions: Readonly<Record<string, number>>
}

export const regressionCase = (key: string): RegressionRecord =>
  (JSON.parse(readFileSync(af("expected/regression_public.json"), "utf8")) as Record<string, RegressionRecord>)[key]!

/** "('Matmul0', 'MAC', 'None', 'compute')" -> "Matmul0|MAC|None|compute" */
const tupleKey = (text: string): string => [...text.matchAll(/'([^']*)'/g)].map((m) => m[1]).join("|")

/** Within 1% relative; a reference zero must be exactly zero. */
export const close = (got: number | undefined, want: number): boolean =>
  got !== undefined && (want === 0 ? got === 0 : Math.abs(got - want) <= 0.01 * Math.abs(want))

export interface Comparison {
  readonly checked: number
  readonly failures: ReadonlyArray<string>
}

/** Every number of a regression record against our result. */
export const compareWithRegression = (r: EvaluationResult, want: RegressionRecord): Comparison => {
  const failures: Array<string> = []
  let checked = 0
  const check = (what: string, got: number | undefined, expected: number) => {
    checked++
    if (!close(got, expected)) failures.push(`${what}: got ${got}, want ${expected}`)
  }
  check("energy", r.energy, want.energy)
  check("latency", r.latency, want.latency)
  const energy = groupEntries(r.energyBreakdown, { einsum: true, component: true, action: true })
  for (const [k, v] of Object.entries(want.energy_per_component)) check(`energy ${k}`, energy.get(tupleKey(k)), v)
  const latency = new Map(r.latencyBreakdown.map((l) => [`${l.einsum}|${l.component}`, l.value]))
  for (const [k, v] of Object.entries(want.latency_per_component)) check(`latency ${k}`, latency.get(tupleKey(k)), v)
  const actions = groupEntries(r.actions, { einsum: true, component: true, tensor: true, action: true })
  for (const [k, v] of Object.entries(want.actions)) check(`actions ${k}`, actions.get(tupleKey(k)), v)
  return { checked, failures }
}
