/**
 * The FFM join against brute force over complete fused mappings (the properties and their
 * oracle: support/join-brute-force.ts): the pinned cases that once broke the join (their optimum,
 * and every row the join keeps on them: checkJoinedRows), the first
 * half of properties (a) and (b) (seed 1) and property (c), the overlap modes;
 * join-brute-force-more.property.test.ts runs the other half of (a) and (b) (seed 2), so the
 * test runner's two workers share them. Run counts and the planted bugs they catch: OPTIMUM_RUNS.
 */
import { describe, expect, it, vi } from "vitest"
import {
  checkJoinedRows,
  checkOptimum,
  checkTolerance,
  METRICS,
  OPTIMUM_RUNS,
  optimumProperty,
  overlapProperty,
  pinned,
  prepare,
  TOLERANCE_RUNS,
  toleranceProperty
} from "./support/join-brute-force.ts"
import { NO_TIME_LIMIT } from "./support/no-time-limit.ts"

// CPU-bound properties with fixed seeds and run counts: no wall-clock limit (a loaded machine is slow, not wrong).
vi.setConfig({ testTimeout: 0 })

describe("the fused join against brute force over complete fused mappings", () => {
  it.each(pinned)("pinned: $why", async ({ c, tolerance }) => {
    const p = await prepare(c)
    expect(p, "the pinned case is small enough for brute force").toBeDefined()
    for (const metric of METRICS) {
      if (tolerance === 0) await checkOptimum(p!, metric)
      else await checkTolerance(p!, metric, tolerance)
    }
    await checkJoinedRows(p!)
  }, NO_TIME_LIMIT)

  it("(a) the join's optimum equals the brute-force optimum, its mapping fits, and the Mapper service reports it (seed 1)", () =>
    optimumProperty(1, OPTIMUM_RUNS), NO_TIME_LIMIT)

  // After (a) with its seed: the same cases, their brute force from the cache.
  it("(b) with objective_tolerance t the answer fits and is within (1+t) of the optimum at 1-t usage (seed 1)", () =>
    toleranceProperty(1, TOLERANCE_RUNS), NO_TIME_LIMIT)

  // docs/overlapped-latency.md §7: the join carries the fused nest's state, so it stays exact
  // when latency is not a sum; the model's evaluation of the chosen mapping agrees with it.
  it("(c) in modes writeback and pipeline, the join's optimum equals the brute-force optimum", () =>
    overlapProperty(4, 16), NO_TIME_LIMIT)
})
