/**
 * Template generation: the counts an independent FFM prototype found after the same template
 * reductions (ffm prototype report: 16/27 templates per Einsum for `simple` unfused/fused,
 * 32/54 for `tpu_v4i`), and structural rules on the project's own examples.
 */
import { existsSync } from "node:fs"
import { resolve } from "node:path"
import { Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import { type LoadedSpec, loadSpec, resolveAll } from "@effect-accelforge/core"
import { describeTemplate, einsumFacts, einsumTemplates, sharedTensors, type Template } from "../src/index.ts"

const REPO = resolve(import.meta.dirname, "../../..")
const ACCELFORGE = resolve(REPO, "../shared/reference/accelforge")

const load = (files: ReadonlyArray<string>, variables: Record<string, unknown>, overrides: ReadonlyArray<string> = []): Promise<LoadedSpec> =>
  Effect.runPromise(loadSpec({ files, variables, overrides }))

const templatesOf = (loaded: LoadedSpec): Array<Array<Template>> => {
  const contexts = resolveAll(loaded)
  if (Result.isFailure(contexts)) throw contexts.failure
  const shared = sharedTensors(loaded.workload.einsums)
  return contexts.success.map((ctx) => einsumTemplates(ctx, einsumFacts(ctx, shared), loaded.spec.mapper))
}

describe("templates on the project's examples", () => {
  it("the two-level arch: DRAM backs inputs and outputs first, loops only below them, every template ends at the MAC", async () => {
    const loaded = await load([resolve(REPO, "examples/arches/two_level.yaml"), resolve(REPO, "examples/workloads/matmul_chain.yaml")], { LAYERS: 2 })
    for (const templates of templatesOf(loaded)) {
      expect(templates.length).toBeGreaterThan(1)
      const keys = new Set(templates.map(describeTemplate))
      expect(keys.size).toBe(templates.length)
      for (const t of templates) {
        expect(t.nodes[t.nodes.length - 1]!.kind).toBe("compute")
        const firstLoop = t.nodes.findIndex((n) => n.kind === "loop")
        expect(t.nodes.slice(0, firstLoop).every((n) => n.kind === "storage")).toBe(true)
        // Every rank variable is iterated somewhere.
        for (const v of t.context.einsum.rankVariables.map((r) => r.variable)) {
          if ((t.context.einsum.bounds.get(v) ?? 1) > 1) expect(t.nodes.some((n) => n.kind === "loop" && n.rankVariable === v)).toBe(true)
        }
      }
      // Longest templates first (AccelForge's job order).
      for (let i = 1; i < templates.length; i++) expect(templates[i - 1]!.nodes.length).toBeGreaterThanOrEqual(templates[i]!.nodes.length)
    }
  })

  it("max_pmapping_templates_per_einsum stops early", async () => {
    const loaded = await load([resolve(REPO, "examples/arches/two_level.yaml"), resolve(REPO, "examples/workloads/matmul_chain.yaml")], { LAYERS: 2 }, ["mapper.max_pmapping_templates_per_einsum=3"])
    for (const templates of templatesOf(loaded)) expect(templates).toHaveLength(3)
  })
})

describe.skipIf(!existsSync(ACCELFORGE))("template counts match the independent prototype", () => {
  const cases: ReadonlyArray<[string, boolean, number]> = [["simple", false, 27], ["simple", true, 16], ["tpu_v4i", false, 54], ["tpu_v4i", true, 32]]
  for (const [arch, unfused, count] of cases) {
    it(`${arch} ${unfused ? "unfused" : "fused"}: ${count} templates per matmul`, async () => {
      const loaded = await load(
        [resolve(ACCELFORGE, `examples/arches/${arch}.yaml`), resolve(ACCELFORGE, "examples/workloads/basic/matmuls.yaml")],
        { KN: 64, M: 64, N_EINSUMS: 2 },
        ["mapper.max_fused_loops=1", ...(unfused ? ["arch.nodes.0.tensors.keep=All"] : [])]
      )
      expect(templatesOf(loaded).map((t) => t.length)).toEqual([count, count])
    })
  }
})
