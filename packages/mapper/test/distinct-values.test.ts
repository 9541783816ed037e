import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { distinctAscending, FEW_DISTINCT } from "../src/tiles/distinct-values.ts"

/** The distinct values as a set sees them, ascending. */
const reference = (values: ReadonlyArray<number>): Array<number> => [...new Set(values)].sort((a, b) => a - b)

describe("distinctAscending", () => {
  // Loop-count products in runs (as a step's chains come) over few values and over more than the scan collects.
  const parts = (distinct: number) =>
    fc.array(fc.tuple(fc.integer({ min: 1, max: distinct }), fc.integer({ min: 1, max: 4 })), { maxLength: 200, size: "max" })
      .map((runs) => runs.flatMap(([v, n]) => Array.from({ length: n }, () => v * 3)))

  it("gives each value once, ascending, by the scan (few values) and by the sort (many)", () => {
    const seen = { scanned: 0, sorted: 0 }
    fc.assert(
      fc.property(fc.oneof(parts(FEW_DISTINCT / 2), parts(4 * FEW_DISTINCT)), (values) => {
        const expected = reference(values)
        if (expected.length > FEW_DISTINCT) seen.sorted++
        else seen.scanned++
        expect([...distinctAscending(Float64Array.from(values))]).toEqual(expected)
      }),
      { numRuns: 300, seed: 32 }
    )
    // Both ways are taken.
    expect(seen.scanned).toBeGreaterThan(50)
    expect(seen.sorted).toBeGreaterThan(50)
  })

  it("sorts the values it collects", () => {
    expect([...distinctAscending(Float64Array.from([8, 8, 2, 4, 2, 16, 1]))]).toEqual([1, 2, 4, 8, 16])
  })
})
