/**
 * The FFM join against brute force, continued (see join-brute-force.property.test.ts): the
 * other half of properties (a) and (b), seed 2.
 */
import { describe, it, vi } from "vitest"
import { OPTIMUM_RUNS, optimumProperty, TOLERANCE_RUNS, toleranceProperty } from "./support/join-brute-force.ts"
import { NO_TIME_LIMIT } from "./support/no-time-limit.ts"

// CPU-bound properties with fixed seeds and run counts: no wall-clock limit (a loaded machine is slow, not wrong).
vi.setConfig({ testTimeout: 0 })

describe("the fused join against brute force over complete fused mappings, continued", () => {
  it("(a) the join's optimum equals the brute-force optimum, its mapping fits, and the Mapper service reports it (seed 2)", () =>
    optimumProperty(2, OPTIMUM_RUNS), NO_TIME_LIMIT)

  // After (a) with its seed: the same cases, their brute force from the cache.
  it("(b) with objective_tolerance t the answer fits and is within (1+t) of the optimum at 1-t usage (seed 2)", () =>
    toleranceProperty(2, TOLERANCE_RUNS), NO_TIME_LIMIT)
})
