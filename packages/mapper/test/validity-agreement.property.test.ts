/**
 * The mapspace's validity rules keep exactly the rows FFM's enumeration keeps: on tiny random
 * one- and two-matmul cascades (buffers that bind or not, fused or not, a spatial array with
 * fanout, min_usage and loop bounds), every (template, tile shapes) FFM's per-Einsum search
 * scores as valid (no Pareto pruning, no cost pruning) is valid in the Einsum's mapspace, and
 * every mapping the mapspace calls valid is one FFM keeps.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { einsumFacts, generateOptionsOf, generatePmappings, ParetoPruner, searchSetup } from "../src/index.ts"
import { EinsumMapspace } from "../src/mapspace/einsum-mapspace.ts"
import { IdEvaluator } from "../src/mapspace/evaluate-id.ts"
import { cascadeCase, loadCase } from "./support/random-cascade.ts"
import { Effect } from "effect"

const keepAll = Effect.runSync(Effect.gen(function*() {
  return (yield* ParetoPruner).front
}).pipe(Effect.provide(ParetoPruner.keepAll)))

const rowKey = (template: number, tiles: ArrayLike<number>, loops: number, offset = 0): string =>
  `${template}:${Array.from({ length: loops }, (_, k) => tiles[offset + k]).join(",")}`

describe("mapspace validity agrees with FFM's enumeration", () => {
  it("on tiny random cascades", async () => {
    await fc.assert(
      fc.asyncProperty(cascadeCase, async (c) => {
        const { loaded } = await loadCase(c)
        const setup = searchSetup(loaded)
        setup.contexts.forEach((ctx, e) => {
          const table = generatePmappings(ctx, { ...generateOptionsOf(loaded, setup, ctx), prune: keepAll, partialPruning: false, polynomialScoring: false })
          const ffm = new Set<string>()
          for (const g of table.groups) {
            for (let r = 0; r < g.rows; r++) {
              const t = g.template[r]!
              ffm.add(rowKey(t, g.tiles, table.templates[t]!.loopPositions.length, g.tileOffset[r]!))
            }
          }
          const mapspace = new EinsumMapspace(ctx, einsumFacts(ctx, setup.fusable), setup.templates[e]!, setup.config)
          const evaluator = new IdEvaluator(mapspace, loaded, false)
          const ours = new Set<string>()
          for (let f = 0n; f < mapspace.factorizations; f++) {
            for (let p = 0; p < mapspace.permutations(f); p++) {
              const id = { factorization: f, permutation: p }
              if (evaluator.evaluate(id) !== 0) continue
              const { template, tiles } = mapspace.decode(id)
              ours.add(rowKey(template, tiles, mapspace.templates[template]!.loopPositions.length))
            }
          }
          expect([...ours].filter((k) => !ffm.has(k))).toEqual([])
          expect([...ffm].filter((k) => !ours.has(k))).toEqual([])
          expect(ours.size).toBe(table.counters.valid)
        })
      }),
      { numRuns: 40, seed: 16 }
    )
  }, 300_000)
})
