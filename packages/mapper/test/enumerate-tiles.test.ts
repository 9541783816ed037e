/** Tile enumeration honours the search budget inside one template, whose tile space can be vast. */
import { resolve } from "node:path"
import { Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import { loadSpec, resolveAll } from "@effect-accelforge/core"
import { SEQUENTIAL } from "@effect-accelforge/model"
import { analyzeSymbolically, budgetOf, einsumFacts, einsumTemplates, enumerateTiles, prepareTemplate, SearchLimitError, sharedTensors } from "../src/index.ts"
import { capacityCheck } from "../src/tiles/capacity.ts"

const REPO = resolve(import.meta.dirname, "../../..")

describe("enumerateTiles", () => {
  it("stops with a SearchLimitError when the budget runs out mid-template", async () => {
    const loaded = await Effect.runPromise(loadSpec({
      files: [resolve(REPO, "examples/arches/systolic_tpu_like.yaml"), resolve(REPO, "examples/workloads/matmul_chain.yaml")],
      variables: { LAYERS: 1, TOKENS: 1024, WIDTH: 1024 },
      overrides: []
    }))
    const contexts = resolveAll(loaded)
    if (Result.isFailure(contexts)) throw contexts.failure
    const ctx = contexts.success[0]!
    const facts = einsumFacts(ctx, sharedTensors(loaded.workload.einsums))
    const template = einsumTemplates(ctx, facts, loaded.spec.mapper)[0]!
    const limits = { maxFusedLoops: 1, maxFusedLoopsPerRankVariable: 1, maxLoopsPerSpatialDimension: Infinity, maxLoops: Infinity, tilingCoarseness: 1 }
    // One byte of memory: the first check inside the enumeration must stop it.
    const analysis = analyzeSymbolically(prepareTemplate(template, loaded, SEQUENTIAL, SEQUENTIAL.columns(loaded.spec.mapper.metrics)))
    const capacity = capacityCheck(template, analysis.reservations!)
    const run = () =>
      enumerateTiles(template, facts.rankVariables, ctx.einsum.bounds, capacity, analysis.usesInstances, limits, budgetOf({ time_limit: Infinity, memory_limit: 1, memory_limit_per_process: Infinity, time_limit_per_pmapping_template: Infinity }), "enumerating the test template")
    expect(run).toThrow(SearchLimitError)
    expect(run).toThrow(/memory_limit of 1 bytes exceeded .* while enumerating the test template/)
  })
})
