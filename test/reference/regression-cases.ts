/**
 * AccelForge's regression cases (../shared/README.md): key → arch, workload, jinja variables,
 * metric and the unfused override, built exactly as the reference built them.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { resolve } from "node:path"
import { Effect } from "effect"
import { expect } from "vitest"
import { Mapper, type MapResult, searchLayer, type SpecRequest } from "@effect-accelforge/mapper"
import { compareWithRegression } from "@effect-accelforge/model"
import type { RegressionRecord } from "@effect-accelforge/model"

/**
 * Search a case with the Mapper service on `jobs` threads and compare the one mapping found
 * with AccelForge's: every total and breakdown number within 1%, zeros exactly.
 */
export const searchAndCompare = async (key: string, jobs: number): Promise<MapResult> => {
  const result = await searchFiles(caseRequest(parseCaseKey(key)), jobs)
  const comparison = compareWithRegression(result.evaluation, expectedRecord(key))
  expect(comparison.failures).toEqual([])
  expect(comparison.checked).toBeGreaterThan(10)
  expect(result.frontSize).toBe(1)
  return result
}

export const ACCELFORGE = resolve(import.meta.dirname, "../../../shared/reference/accelforge")
export const HAS_SHARED = existsSync(ACCELFORGE)
export const af = (path: string): string => resolve(ACCELFORGE, path)

export interface RegressionCase {
  readonly key: string
  readonly arch: string
  readonly workload: string
  readonly variables: Record<string, unknown>
  readonly fused: boolean
  readonly metric: "ENERGY" | "ENERGY_DELAY_PRODUCT"
}

const parseValue = (text: string): unknown => (text === "True" ? true : text === "False" ? false : /^-?\d+$/.test(text) ? Number(text) : text)

const findFile = (dir: string, name: string): string | undefined => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = resolve(dir, entry.name)
    if (entry.isFile() && entry.name === name) return path
    if (entry.isDirectory()) {
      const found = findFile(path, name)
      if (found !== undefined) return found
    }
  }
  return undefined
}

/** Workloads sit in subfolders (basic/, cnns/mobilenet/, transformers/gpt/, ...). */
const workloadFile = (stem: string): string => findFile(af("examples/workloads"), `${stem}.yaml`) ?? af(`examples/workloads/${stem}.yaml`)

/** The arch file: eyeriss and simba need component models, so their resolved twins are used. */
const archFile = (stem: string): string =>
  existsSync(af(`examples/arches/${stem}_resolved.yaml`)) ? af(`examples/arches/${stem}_resolved.yaml`) : af(`examples/arches/${stem}.yaml`)

export const parseCaseKey = (key: string): RegressionCase => {
  const [arch, workload, vars, mode] = key.split("|") as [string, string, string, string]
  const variables = Object.fromEntries(vars === "" ? [] : vars.split(",").map((kv) => {
    const [k, v] = kv.split("=") as [string, string]
    return [k, parseValue(v)]
  }))
  return { key, arch: archFile(arch), workload: workloadFile(workload), variables, fused: mode === "fused", metric: arch === "snowcat" ? "ENERGY" : "ENERGY_DELAY_PRODUCT" }
}

export const regressionKeys = (): ReadonlyArray<string> =>
  Object.keys(JSON.parse(readFileSync(af("expected/regression_public.json"), "utf8")) as Record<string, unknown>)

/**
 * A case as the mapper's request: the reference's mapper settings (`max_fused_loops = 1`, the
 * metric, unfused = first memory keeps All), and AccelForge's order among exact ties
 * (`_tie_break: first`, ffm §11 A: its per-component breakdowns depend on it).
 */
export const caseRequest = (c: RegressionCase): SpecRequest => ({
  files: [c.arch, c.workload],
  variables: c.variables,
  overrides: [`mapper.metrics=${c.metric}`, "mapper.max_fused_loops=1", "mapper._tie_break=first", ...(c.fused ? [] : ["arch.nodes.0.tensors.keep=All"])]
})

/** Search files with the Mapper service, as the CLI does (`searchLayer`, the one composition root). */
export const searchFiles = (request: SpecRequest, jobs: number): Promise<MapResult> =>
  Effect.runPromise(Effect.gen(function*() {
    return yield* (yield* Mapper).mapFiles(request, { jobs })
  }).pipe(Effect.provide(searchLayer())))

/**
 * tpu_v4i × GPT-3 175B prefill (2048 tokens) takes minutes where every other case takes
 * seconds: each runs from its own test file, so the test runner spreads them over its workers.
 */
export const isLargeCase = (key: string): boolean => key.startsWith("tpu_v4i|gpt3_175B|")

/** The expected numbers of one case. */
export const expectedRecord = (key: string): RegressionRecord =>
  (JSON.parse(readFileSync(af("expected/regression_public.json"), "utf8")) as Record<string, RegressionRecord>)[key]!
