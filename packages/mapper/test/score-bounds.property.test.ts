/**
 * Dropping a row before its full score when a lower bound of its columns is no better than an
 * earlier row of its group (generate/dominance-cache.ts) never changes an Einsum's table: on
 * random small matmul cascades (fused or not, buffers that bind or not, min_usage and loop
 * bounds, every metric) the tables with and without the bounds are the same, group by group
 * and row by row (the same rows, tiles, values and counts of generated rows), and the staged
 * scorer gives the numbers the one-call scorer gives.
 */
import { Result } from "effect"
import fc from "fast-check"
import { describe, expect, it, vi } from "vitest"
import { resolveAll } from "@effect-accelforge/core"
import { generateOptionsOf, generatePmappings, searchSetup } from "../src/index.ts"
import { DominanceCache } from "../src/generate/dominance-cache.ts"
import { cascadeCase, loadCase } from "./support/random-cascade.ts"

// CPU-bound properties with fixed seeds and run counts: no wall-clock limit (a loaded machine is slow, not wrong).
vi.setConfig({ testTimeout: 0 })

describe("score bounds", () => {
  it("leave every Einsum's table exactly as it is", async () => {
    await fc.assert(
      fc.asyncProperty(cascadeCase, async (c) => {
        const { loaded } = await loadCase(c)
        const contexts = resolveAll(loaded)
        if (Result.isFailure(contexts)) throw contexts.failure
        const setup = searchSetup(loaded)
        for (const ctx of contexts.success) {
          const options = generateOptionsOf(loaded, setup, ctx)
          const plain = generatePmappings(ctx, { ...options, scoreBounds: false })
          const bounded = generatePmappings(ctx, { ...options, scoreBounds: true })
          expect(bounded.groups).toEqual(plain.groups)
          expect(bounded.counters).toEqual(plain.counters)
        }
      }),
      { numRuns: 120, seed: 24 }
    )
  })

  it("a cached row drops exactly the bounds it is at most in every column", () => {
    const cache = new DominanceCache(2)
    expect(cache.dominates([5, 5])).toBe(false)
    cache.add([1, 3])
    expect(cache.dominates([1, 3])).toBe(true)
    expect(cache.dominates([2, 4])).toBe(true)
    expect(cache.dominates([0.5, 4])).toBe(false)
    expect(cache.dominates([2, 2.5])).toBe(false)
    for (let i = 0; i < 8; i++) cache.add([10 + i, 10 + i])
    // The row that dropped others most recently stays cached.
    expect(cache.dominates([1, 3])).toBe(true)
  })
})
