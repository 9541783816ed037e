/**
 * The committed bench run's optima (bench/results.json), for the tests that check issue 17's
 * "the search returns the same optimum on every bench case as before": the bench itself fails a
 * run whose optimum moved (OPTIMUM CHANGED), these tests catch it in `npm test`.
 *
 * A bench case that poses the same search as a regression case (same files and variables, the
 * same overrides up to the regression's `_tie_break: first` and the bench's search limits, which
 * only stop a search) is checked inside that regression test, on the search it runs anyway: the
 * objective must be the bench's. The tie-break may pick another mapping among exact ties, so
 * only the objective (not energy and latency separately) is compared there.
 *
 * bench/ is not part of the type-checked projects, so its case list is imported at run time and
 * typed here by the fields used.
 */
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { expect } from "vitest"
import type { MapResult } from "@effect-accelforge/mapper"
import { caseRequest, parseCaseKey } from "./regression-cases.ts"

export const ROOT = resolve(import.meta.dirname, "../..")

/** A bench case (bench/cases.ts), as far as these tests read it. */
export interface BenchCase {
  readonly name: string
  readonly files: ReadonlyArray<string>
  readonly variables: Record<string, unknown>
  readonly overrides: ReadonlyArray<string>
}

/** One case's recorded optimum (bench/results.json). */
export interface BenchOptimum {
  readonly name: string
  readonly energy: number
  readonly latency: number
}

export const benchCases = async (): Promise<ReadonlyArray<BenchCase>> => {
  // A computed path: the type checker does not follow it into bench/ (see above).
  const module = (await import(resolve(ROOT, "bench/cases.ts"))) as { readonly cases: ReadonlyArray<BenchCase> }
  return module.cases
}

export const benchOptima = (): ReadonlyMap<string, BenchOptimum> => {
  const run = JSON.parse(readFileSync(resolve(ROOT, "bench/results.json"), "utf8")) as { readonly results: ReadonlyArray<BenchOptimum> }
  return new Map(run.results.map((r) => [r.name, r]))
}

export type Objective = "energy" | "latency" | "edp"

/** The objective a case's overrides ask for (the specs the bench runs default to energy). */
export const objectiveOfCase = (c: BenchCase): Objective => {
  const metric = c.overrides.find((o) => o.startsWith("mapper.metrics="))?.slice("mapper.metrics=".length) ?? "ENERGY"
  return metric === "ENERGY_DELAY_PRODUCT" ? "edp" : metric === "LATENCY" ? "latency" : "energy"
}

export const objectiveValue = (objective: Objective, energy: number, latency: number): number =>
  objective === "energy" ? energy : objective === "latency" ? latency : energy * latency

/** Equal up to rounding (the bench's own test: 1e-9 relative). */
export const sameValue = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b))

/** Overrides that do not change the optimum a completed search returns. */
const neutral = (o: string): boolean => o === "mapper._tie_break=first" || o.startsWith("mapper.time_limit=") || o.startsWith("mapper.memory_limit=")

const sameSearch = (c: BenchCase, key: string): boolean => {
  const request = caseRequest(parseCaseKey(key))
  const overrides = (list: ReadonlyArray<string>) => JSON.stringify(list.filter((o) => !neutral(o)).sort())
  return JSON.stringify(c.files.map((f) => resolve(f))) === JSON.stringify(request.files.map((f) => resolve(f))) &&
    JSON.stringify(Object.entries(c.variables).sort()) === JSON.stringify(Object.entries(request.variables).sort()) &&
    overrides(c.overrides) === overrides(request.overrides)
}

/** The bench case that poses a regression case's search, if any. */
export const benchCaseOf = (cases: ReadonlyArray<BenchCase>, key: string): BenchCase | undefined => cases.find((c) => sameSearch(c, key))

/** The regression case whose search a bench case poses, if any. */
export const regressionKeyOf = (keys: ReadonlyArray<string>, c: BenchCase): string | undefined => keys.find((k) => sameSearch(c, k))

/** A regression search's objective is the committed bench run's, when a bench case poses the same search. */
export const expectBenchObjective = async (key: string, result: MapResult): Promise<void> => {
  const c = benchCaseOf(await benchCases(), key)
  if (c === undefined) return
  const recorded = benchOptima().get(c.name)
  expect(recorded, `bench/results.json records bench case "${c.name}"`).toBeDefined()
  const objective = objectiveOfCase(c)
  const now = objectiveValue(objective, result.evaluation.energy, result.evaluation.latency)
  const before = objectiveValue(objective, recorded!.energy, recorded!.latency)
  expect(sameValue(now, before), `${key}: ${objective} ${now}, bench case "${c.name}" recorded ${before}`).toBe(true)
}
