/**
 * The three overlap modes on random matmul chains whose Einsums share an outer loop (so there is
 * something to pipeline) and whose last output is written to DRAM (so there is something to
 * defer): the guarantees of docs/overlapped-latency.md §5, for the same mapping.
 */
import { Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { composition, evaluateMapping, type EvaluationResult, type OverlapMode } from "../src/index.ts"
import { chainArb, type ChainPlan, mappingOf, specOf } from "./chain-fixtures.ts"

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))

/** The plan's mapping with a temporal loop over m shared by every Einsum, above the split. */
const withSharedLoop = (p: ChainPlan, tile: number) => {
  const plain = mappingOf(p) as { nodes: Array<{ $tag: string; nodes?: Array<{ nodes: Array<Record<string, unknown>> }> }> }
  const split = plain.nodes[plain.nodes.length - 1]!
  for (const branch of split.nodes!) {
    for (const node of branch.nodes) if (node.$tag === "Temporal" && node.rank_variable === "m") node.tile_shape = gcd(node.tile_shape as number, tile)
  }
  return { nodes: [...plain.nodes.slice(0, -1), { $tag: "Temporal", rank_variable: "m", tile_shape: tile }, split] }
}

const planArb = chainArb.chain((p) => fc.constantFrom(...Array.from({ length: p.m }, (_, i) => i + 1).filter((d) => p.m % d === 0)).map((tile) => ({ p, tile })))

const evaluate = (p: ChainPlan, tile: number, mode: OverlapMode): EvaluationResult | undefined => {
  const r = evaluateMapping(specOf(p, { mapping: withSharedLoop(p, tile) }), undefined, composition(mode))
  return Result.isSuccess(r) ? r.success : undefined
}

const RUNS = { numRuns: 60, seed: 1515 }
const slack = (x: number) => 1e-9 * Math.max(1, Math.abs(x))

describe("overlap modes on random fused chains", () => {
  it("latency(pipeline) <= latency(writeback) <= latency(none), each at least every component's busy time", () => {
    let checked = 0
    fc.assert(fc.property(planArb, ({ p, tile }) => {
      const none = evaluate(p, tile, "none")
      if (none === undefined) return
      const writeback = evaluate(p, tile, "writeback")!
      const pipeline = evaluate(p, tile, "pipeline")!
      checked++
      expect(writeback.latency).toBeLessThanOrEqual(none.latency + slack(none.latency))
      expect(pipeline.latency).toBeLessThanOrEqual(writeback.latency + slack(writeback.latency))
      for (const r of [none, writeback, pipeline]) {
        for (const c of r.overlap.components) expect(r.latency).toBeGreaterThanOrEqual(c.busy - slack(c.busy))
        for (const e of r.overlap.einsums) expect(e.end).toBeLessThanOrEqual(r.overlap.criticalPath + slack(r.latency))
      }
      // Mode none's timeline is the same arithmetic as its sum of Einsum latencies.
      expect(Math.abs(none.overlap.criticalPath - none.latency)).toBeLessThanOrEqual(slack(none.latency) * 100)
    }), RUNS)
    expect(checked).toBeGreaterThan(RUNS.numRuns / 2)
  })

  it("without leak, energy is the same in every mode; with leak, it follows the latency", () => {
    fc.assert(fc.property(planArb, ({ p, tile }) => {
      const results = (["none", "writeback", "pipeline"] as const).map((mode) => evaluate(p, tile, mode))
      if (results[0] === undefined) return
      const [none, writeback, pipeline] = results as [EvaluationResult, EvaluationResult, EvaluationResult]
      for (const r of [writeback, pipeline]) {
        expect(Math.abs(r.dynamicEnergy - none.dynamicEnergy)).toBeLessThanOrEqual(slack(none.dynamicEnergy))
        if (p.energies.leak === 0) expect(Math.abs(r.energy - none.energy)).toBeLessThanOrEqual(slack(none.energy))
      }
      // Both overlap modes leak the same power, over their own latency.
      if (pipeline.latency > 0) expect(pipeline.leakEnergy / pipeline.latency).toBeCloseTo(writeback.leakEnergy / writeback.latency, 9)
      expect(pipeline.leakEnergy).toBeLessThanOrEqual(writeback.leakEnergy + slack(writeback.leakEnergy))
    }), RUNS)
  })
})
