/**
 * The calling thread takes jobs from the workers' queue too (jobs-here.ts): whichever thread
 * searches a template, each Einsum's table is the one a single search of all its templates
 * gives, with the progress of every template reported.
 */
import { resolve } from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { loadSpec } from "@effect-accelforge/core"
import { generateOptionsOf, generatePmappings, paretoFront, searchSetup } from "../src/index.ts"
import { generateInWorkers } from "../src/parallel/generate-in-workers.ts"
import { PARETO_FRONT_MODULE } from "../src/service/pruner-module.ts"

const REPO = resolve(import.meta.dirname, "../../..")

/** A fused chain of three matmuls on two_level, and each Einsum's table from one search on this thread. */
const chain = async () => {
  const loaded = await Effect.runPromise(loadSpec({
    files: [resolve(REPO, "examples/arches/two_level.yaml"), resolve(REPO, "examples/workloads/matmul_chain.yaml")],
    variables: { LAYERS: 3 },
    overrides: []
  }))
  const setup = searchSetup(loaded)
  const whole = setup.contexts.map((ctx) => generatePmappings(ctx, { ...generateOptionsOf(loaded, setup, ctx), prune: paretoFront }))
  return { loaded, setup, whole }
}

describe("this thread as one of the search's threads", () => {
  for (const jobs of [1, 2]) {
    it(`${jobs === 1 ? "alone (no worker started)" : "beside one worker"}: every Einsum's table is one search's`, async () => {
      const { loaded, setup, whole } = await chain()
      const einsums = setup.contexts.map((_, i) => i)
      const reported = new Map<string, number>()
      const tables = await Effect.runPromise(generateInWorkers({
        loaded, setup, pruner: PARETO_FRONT_MODULE, jobs, einsums, started: Date.now(), hereToo: true,
        onProgress: (p) => reported.set(p.einsum, Math.max(reported.get(p.einsum) ?? 0, p.done))
      }))
      tables.forEach((table, i) => {
        expect(table.counters).toEqual(whole[i]!.counters)
        expect(table.groups).toEqual(whole[i]!.groups)
        expect(table.templates).toBe(setup.templates[i])
        expect(reported.get(table.einsum)).toBe(setup.templates[i]!.length)
      })
    }, 120_000)
  }
})
