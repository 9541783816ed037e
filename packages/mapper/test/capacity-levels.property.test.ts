/**
 * The capacity levels (tiles/capacity-levels.ts) decide what the per-candidate sum decides: for
 * any row, a chain passes the levels (and the sum of the memories they leave) exactly when every
 * memory's sum, `base + Σ rowFactor × ownPart` in order, is within its limit. On random memories
 * with zero, one or several monomials of the step's loops, coefficients of either sign, own
 * parts with ties, and limits set at some chain's very sum (the boundary, where rounding could
 * tell a threshold from the sum apart), with rows reusing one set of levels.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { CapacityLevels } from "../src/tiles/capacity-levels.ts"

/** What memory m holds with chain c, summed as chain-step.ts's `passes` sums it. */
const sumOf = (m: number, splitStart: Int32Array, base: Float64Array, rowFactor: Float64Array, ownPart: Float64Array, nChains: number, c: number): number => {
  let held = base[m]!
  for (let s = splitStart[m]!; s < splitStart[m + 1]!; s++) held += rowFactor[s]! * ownPart[s * nChains + c]!
  return held
}

/** The per-candidate test for the given memories. */
const heldWithin = (memories: ReadonlyArray<number>, splitStart: Int32Array, base: Float64Array, rowFactor: Float64Array, ownPart: Float64Array, nChains: number, limit: Float64Array, c: number) =>
  memories.every((m) => sumOf(m, splitStart, base, rowFactor, ownPart, nChains, c) <= limit[m]!)

// Own parts are products of tiles' powers (whole, or their inverses); a few odd ones for rounding.
const ownValue = fc.constantFrom(1, 2, 3, 4, 6, 8, 12, 16, 1 / 3, 0.1, 7.3)
const factor = fc.constantFrom(0.5, 1, 2, 3, 0.1, 1 / 3, 1e-3)

const caseOf = fc.record({ nChains: fc.integer({ min: 1, max: 12 }), perMemory: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }) }).chain(({ nChains, perMemory }) => {
  const nSplit = perMemory.reduce((a, b) => a + b, 0)
  return fc.record({
    nChains: fc.constant(nChains),
    perMemory: fc.constant(perMemory),
    coefs: fc.array(fc.oneof({ weight: 4, arbitrary: factor }, { weight: 1, arbitrary: factor.map((f) => -f) }), { minLength: nSplit, maxLength: nSplit }),
    ownPart: fc.array(ownValue, { minLength: nSplit * nChains, maxLength: nSplit * nChains }),
    live: fc.subarray(Array.from({ length: nChains }, (_, c) => c), { minLength: 0 }),
    rows: fc.array(
      fc.record({
        base: fc.array(fc.constantFrom(0, 0.7, 1, 5, 10), { minLength: perMemory.length, maxLength: perMemory.length }),
        rest: fc.array(fc.constantFrom(1, 2, 4, 0.5, 3), { minLength: nSplit, maxLength: nSplit }),
        // Per memory: a limit at some chain's sum (a boundary), or a plain number.
        limitAt: fc.array(fc.oneof(fc.integer({ min: 0, max: nChains - 1 }), fc.constantFrom(-1, -2)), { minLength: perMemory.length, maxLength: perMemory.length })
      }),
      { minLength: 1, maxLength: 6 }
    ),
    maxKeySpace: fc.constantFrom(0, 1, 16, 2 ** 48)
  })
})

describe("capacity levels", () => {
  it("pass exactly the chains whose every memory's sum is within its limit", () => {
    fc.assert(
      fc.property(caseOf, ({ nChains, perMemory, coefs, ownPart, live, rows, maxKeySpace }) => {
        const splitStart = Int32Array.from([0, ...perMemory.map((_, m) => perMemory.slice(0, m + 1).reduce((a, b) => a + b, 0))])
        const own = Float64Array.from(ownPart)
        const levels = new CapacityLevels(splitStart, Float64Array.from(coefs), own, nChains, Int32Array.from(live), maxKeySpace)
        const allMemories = perMemory.map((_, m) => m)
        for (const row of rows) {
          const base = Float64Array.from(row.base)
          const rowFactor = Float64Array.from(coefs, (coef, s) => coef * row.rest[s]!)
          const limit = new Float64Array(perMemory.length)
          for (let m = 0; m < perMemory.length; m++) {
            const at = row.limitAt[m]!
            // At chain `at`'s very sum (the boundary), or no limit, or one below most sums.
            limit[m] = at >= 0 ? sumOf(m, splitStart, base, rowFactor, own, nChains, at) : at === -1 ? Infinity : 0.7
          }
          const key = levels.rowKey(base, rowFactor, limit)
          expect(key).toBeLessThan(levels.keySpace)
          for (const c of live) {
            const expected = heldWithin(allMemories, splitStart, base, rowFactor, own, nChains, limit, c)
            const actual = key >= 0 && levels.admits(c) && heldWithin(Array.from(levels.summed), splitStart, base, rowFactor, own, nChains, limit, c)
            expect(actual).toBe(expected)
          }
        }
      }),
      { numRuns: 2000, seed: 28 }
    )
  })
})
