/**
 * A template's cost polynomials reproduce the numeric model: on the project's example arches
 * and workloads, for every template of every Einsum, random divisor-chain tile rows give the
 * same action counts, per-unit calls and reservations either way. Pruning relies on this.
 */
import { resolve } from "node:path"
import { Effect, Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type EinsumContext, type LoadedSpec, loadSpec, resolveAll } from "@effect-accelforge/core"
import { SEQUENTIAL } from "@effect-accelforge/model"
import { scoreRow } from "../src/evaluate/evaluate-row.ts"
import { analyzeSymbolically, einsumFacts, einsumTemplates, prepareTemplate, sharedTensors, type Template, verifyCostTerms } from "../src/index.ts"
import { divisorRow } from "./support/divisor-row.ts"

const prepare = (template: Template, loaded: LoadedSpec) => prepareTemplate(template, loaded, SEQUENTIAL, SEQUENTIAL.columns(loaded.spec.mapper.metrics))

const REPO = resolve(import.meta.dirname, "../../..")

const load = async (arch: string, workload: string, variables: Record<string, unknown>): Promise<{ loaded: LoadedSpec; contexts: ReadonlyArray<EinsumContext> }> => {
  const loaded = await Effect.runPromise(loadSpec({ files: [resolve(REPO, "examples/arches", arch), resolve(REPO, "examples/workloads", workload)], variables, overrides: [] }))
  const contexts = resolveAll(loaded)
  if (Result.isFailure(contexts)) throw contexts.failure
  return { loaded, contexts: contexts.success }
}

const cases: ReadonlyArray<[string, string, Record<string, unknown>]> = [
  ["two_level.yaml", "matmul_chain.yaml", { LAYERS: 2 }],
  ["systolic_tpu_like.yaml", "matmul_chain.yaml", { LAYERS: 2, TOKENS: 256, WIDTH: 512 }],
  ["two_level.yaml", "transformer_block.yaml", { TOKENS: 64 }],
  ["systolic_tpu_like.yaml", "transformer_block.yaml", { TOKENS: 128 }]
]

describe("cost polynomials", () => {
  it.each(cases)("match the model on %s × %s", async (arch, workload, variables) => {
    const { loaded, contexts } = await load(arch, workload, variables)
    const fusable = sharedTensors(loaded.workload.einsums)
    let checked = 0
    for (const ctx of contexts) {
      const templates = einsumTemplates(ctx, einsumFacts(ctx, fusable), loaded.spec.mapper)
      for (const template of templates.slice(0, 12)) {
        const prepared = prepare(template, loaded)
        const analysis = analyzeSymbolically(prepared)
        expect(analysis.terms, `${ctx.einsum.name} template ${template.index}`).toHaveProperty("terms")
        const terms = "terms" in analysis.terms ? analysis.terms : undefined
        fc.assert(
          fc.property(fc.array(fc.nat(1000), { minLength: 1, maxLength: 8 }), (picks) => {
            const row = divisorRow(template, picks, ctx.einsum.bounds)
            expect(verifyCostTerms(terms!, prepared, row, 0), `${ctx.einsum.name} template ${template.index} row ${[...row]}`).toBe(true)
          }),
          { numRuns: 10 }
        )
        checked++
      }
    }
    expect(checked).toBeGreaterThan(0)
  }, 120_000)

  it("energy is the model's dynamic energy", async () => {
    const { loaded, contexts } = await load("two_level.yaml", "matmul_chain.yaml", { LAYERS: 1 })
    const ctx = contexts[0]!
    const template = einsumTemplates(ctx, einsumFacts(ctx, new Set()), loaded.spec.mapper)[0]!
    const prepared = prepare(template, loaded)
    const row = divisorRow(template, [3, 1, 4, 1, 5], ctx.einsum.bounds)
    const analysis = analyzeSymbolically(prepared)
    const energy = "terms" in analysis.terms ? analysis.terms.terms.dynamicEnergy : NaN
    expect(typeof energy === "number" ? energy : energy.evaluate(row)).toBeCloseTo(scoreRow(prepared, row, 0).values[0]!, 6)
  })
})
