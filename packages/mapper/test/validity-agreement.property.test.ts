/**
 * The mapspace's validity rules keep exactly the rows FFM's enumeration keeps: on tiny random
 * one- and two-matmul cascades (buffers that bind or not, fused or not, a spatial array with
 * fanout, min_usage and loop bounds), every (template, tile shapes) FFM's per-Einsum search
 * scores as valid (no Pareto pruning, no cost pruning) is valid in the Einsum's mapspace, and
 * every mapping the mapspace calls valid is one FFM keeps. Checking every rule (diagnostics)
 * rather than stopping at the first broken one changes no verdict.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { einsumFacts, searchSetup } from "../src/index.ts"
import { EinsumMapspace } from "../src/mapspace/einsum-mapspace.ts"
import { IdEvaluator } from "../src/mapspace/evaluate-id.ts"
import { Rule } from "../src/mapspace/validity.ts"
import { cascadeCase, loadCase } from "./support/random-cascade.ts"
import { pmappingKey, validPmappings } from "./support/strategy-runs.ts"

describe("mapspace validity agrees with FFM's enumeration", () => {
  it("on tiny random cascades", async () => {
    await fc.assert(
      fc.asyncProperty(cascadeCase, async (c) => {
        const { loaded } = await loadCase(c)
        const setup = searchSetup(loaded)
        const ffm = validPmappings(loaded, setup)
        setup.contexts.forEach((ctx, e) => {
          const mapspace = new EinsumMapspace(ctx, einsumFacts(ctx, setup.fusable), setup.templates[e]!, setup.config, loaded, setup.composition)
          const evaluator = new IdEvaluator(mapspace, false)
          const diagnosing = new IdEvaluator(mapspace, true)
          const ours = new Set<string>()
          for (let f = 0n; f < mapspace.factorizations; f++) {
            for (let p = 0; p < mapspace.permutations(f); p++) {
              const id = { factorization: f, permutation: p }
              const rule = evaluator.evaluate(id)
              expect(diagnosing.evaluate(id)).toBe(rule)
              if (rule !== Rule.valid) continue
              const { template, tiles } = mapspace.decode(id)
              ours.add(pmappingKey(mapspace.templates[template]!, tiles))
            }
          }
          expect([...ours].filter((k) => !ffm[e]!.has(k))).toEqual([])
          expect([...ffm[e]!].filter((k) => !ours.has(k))).toEqual([])
        })
      }),
      { numRuns: 40, seed: 16 }
    )
  }, 300_000)
})
