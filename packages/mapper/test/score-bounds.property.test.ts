/**
 * Dropping a row before its full score when a lower bound of its columns is no better than an
 * earlier row of its group (generate/dominance-cache.ts) never changes an Einsum's table: on
 * random small matmul cascades (fused or not, buffers that bind or not, min_usage and loop
 * bounds, every metric, every overlap mode) the tables with and without the bounds are the
 * same, group by group and row by row (the same rows, tiles, values and counts of generated
 * rows), and the staged scorer gives the numbers the one-call scorer gives.
 */
import { Result } from "effect"
import fc from "fast-check"
import { describe, expect, it, vi } from "vitest"
import { resolveAll } from "@effect-accelforge/core"
import { composition, OVERLAP_MODES, type OverlapMode } from "@effect-accelforge/model"
import { generateOptionsOf, generatePmappings, searchSetup } from "../src/index.ts"
import { DominanceCache } from "../src/generate/dominance-cache.ts"
import { cascadeCase, loadCase } from "./support/random-cascade.ts"

// CPU-bound properties with fixed seeds and run counts: no wall-clock limit (a loaded machine is slow, not wrong).
vi.setConfig({ testTimeout: 0 })

describe("score bounds", () => {
  it("leave every Einsum's table exactly as it is", async () => {
    const dropped: Record<OverlapMode, number> = { none: 0, writeback: 0, pipeline: 0 }
    await fc.assert(
      fc.asyncProperty(cascadeCase, fc.constantFrom(1, 2, 3), fc.constantFrom(...OVERLAP_MODES), async (c, stride, mode) => {
        const { loaded } = await loadCase(c)
        const contexts = resolveAll(loaded)
        if (Result.isFailure(contexts)) throw contexts.failure
        const setup = searchSetup(loaded, loaded.spec.mapper, composition(mode))
        for (const ctx of contexts.success) {
          const options = generateOptionsOf(loaded, setup, ctx)
          const plain = generatePmappings(ctx, { ...options, scoreBounds: false })
          // Seeds in every template (a stride of 1 seeds from every row), so rows are dropped by later rows too.
          const bounded = generatePmappings(ctx, { ...options, scoreBounds: true, scoreBoundSeeding: { atLeast: 1, stride, perGroup: 4 } })
          expect(bounded.groups).toEqual(plain.groups)
          const { dropped: d, ...counters } = bounded.counters
          const { dropped: none, ...plainCounters } = plain.counters
          expect(none).toBe(0)
          expect(counters).toEqual(plainCounters)
          dropped[mode] += d ?? 0
        }
      }),
      { numRuns: 120, seed: 24 }
    )
    // The property is not vacuous: rows were dropped in every mode.
    for (const mode of OVERLAP_MODES) expect(dropped[mode], mode).toBeGreaterThan(0)
  })

  it("a cache answers as a scan of every cached row and column does (columns that are 0 in every cached row compared once per bound)", () => {
    const value = fc.constantFrom(0, -0, 0.5, 1, 2, NaN)
    const step = (width: number) =>
      fc.record({ add: fc.boolean(), values: fc.array(value, { minLength: width, maxLength: width }), order: fc.integer({ min: 0, max: 20 }) })
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }).chain((width) => fc.tuple(fc.constant(width), fc.array(step(width), { maxLength: 30 }))), ([width, steps]) => {
        // At most 30 rows, under the cache's size: no row is replaced, so which rows are cached does not depend on their slots.
        const cache = new DominanceCache(width)
        const cached: Array<{ values: Array<number>; order: number }> = []
        for (const { add, values, order } of steps) {
          if (add) {
            cache.add(values, order)
            cached.push({ values, order })
          } else {
            const expected = cached.some((row) =>
              row.values.every((v, c) => v <= values[c]!) && (row.order < order || row.values.some((v, c) => v < values[c]!))
            )
            expect(cache.dominates(values, order)).toBe(expected)
          }
        }
      }),
      { numRuns: 2000, seed: 26 }
    )
  })

  it("a cached row drops the bounds it is at most in every column, when earlier or smaller somewhere", () => {
    const cache = new DominanceCache(2)
    expect(cache.dominates([5, 5], 0)).toBe(false)
    cache.add([1, 3], 10)
    // Earlier: a tie goes to it.
    expect(cache.dominates([1, 3], 11)).toBe(true)
    expect(cache.dominates([2, 4], 11)).toBe(true)
    // Later (a seed): only by being smaller somewhere.
    expect(cache.dominates([1, 3], 9)).toBe(false)
    expect(cache.dominates([1, 3.5], 9)).toBe(true)
    expect(cache.dominates([0.5, 4], 11)).toBe(false)
    expect(cache.dominates([2, 2.5], 11)).toBe(false)
    // Never itself.
    expect(cache.dominates([1, 3], 10)).toBe(false)
    expect(cache.dominates([NaN, 3], 11)).toBe(false)
  })
})
