/**
 * A step's candidate lists (tiles/chain-step.ts) with several `min_usage` dimensions completed
 * at once (tpu_v4i's two systolic dimensions): for any row, the chains listed are exactly, and
 * in order, those that pass every dimension's own test, `reachesMinUsage(rowReach × part /
 * fanout, minUsage)`, checked chain by chain. (The random cascades of the enumeration's
 * reference test have one spatial dimension, so they never complete two at one step.)
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { LoopSlot } from "../src/template/template.ts"
import { ChainStep, type ReachRule } from "../src/tiles/chain-step.ts"
import { reachesMinUsage } from "../src/tiles/min-usage.ts"

const LOOP: LoopSlot = { kind: "loop", spatial: false, rankVariable: "m", component: undefined, level: 0, dimension: undefined, fused: false }
const NO_LIMITS = { maxFusedLoops: Infinity, maxFusedLoopsPerRankVariable: Infinity, maxLoops: Infinity, maxLoopsPerSpatialDimension: Infinity }

/** A step of one loop whose chains all count 1 (no loop-count rule applies), with the given reach rules. */
const stepOf = (nChains: number, reach: ReadonlyArray<ReachRule>): ChainStep =>
  new ChainStep(
    { loops: [LOOP], variableOfLoop: Int32Array.of(0), dimOf: [-1], fanouts: new Float64Array(0), capacity: undefined, limits: NO_LIMITS },
    0,
    [0],
    new Int32Array(nChains).fill(1),
    new Float64Array(nChains).fill(1),
    nChains,
    reach
  )

// Instances used are products of whole loop counts: small powers of two and three, with ties.
const part = fc.constantFrom(1, 2, 3, 4, 6, 8, 12, 16)
const rule = (nChains: number) =>
  fc.record({
    part: fc.array(part, { minLength: nChains, maxLength: nChains }).map((p) => Float64Array.from(p)),
    fanout: fc.constantFrom(4, 8, 16),
    minUsage: fc.constantFrom(0, 0.25, 0.5, 1)
  })

describe("a step's candidate lists", () => {
  it("list, in order, the chains reaching every min_usage dimension completed at the step", () => {
    const step = fc.integer({ min: 1, max: 24 }).chain((nChains) =>
      fc.record({
        nChains: fc.constant(nChains),
        reach: fc.array(rule(nChains), { minLength: 0, maxLength: 3 }),
        // Several rows per step, so lists built for one row are reused (or not) by the next.
        rows: fc.array(fc.array(fc.constantFrom(1, 2, 3, 4, 8), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 12 })
      })
    )
    fc.assert(
      fc.property(step, ({ nChains, reach, rows }) => {
        const chainStep = stepOf(nChains, reach)
        for (const row of rows) {
          chainStep.setRow(Int32Array.of(1), 0, Float64Array.of(1))
          const rowReach = Float64Array.from(reach, (_, d) => row[d]!)
          const expected = Array.from({ length: nChains }, (_, c) => c).filter((c) =>
            reach.every((r, d) => reachesMinUsage((rowReach[d]! * r.part[c]!) / r.fanout, r.minUsage))
          )
          expect(Array.from(chainStep.candidates(rowReach))).toEqual(expected)
        }
      }),
      { numRuns: 300, seed: 17 }
    )
  })
})
