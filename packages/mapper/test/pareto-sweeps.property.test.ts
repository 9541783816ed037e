import fc from "fast-check"
import { describe, expect, it, vi } from "vitest"
import { keepFrontBySortedFilter } from "../src/pareto/front-sorted-filter.ts"
import { keepThreeColumnFront } from "../src/pareto/front-three-columns.ts"
import { paretoFrontReference } from "../src/pareto/index.ts"
import { Staircase } from "../src/pareto/staircase.ts"

// CPU-bound properties with fixed seeds and run counts: no wall-clock limit.
vi.setConfig({ testTimeout: 0 })

const SEED = 17

/** Values on a coarse grid (ties in every column) or spread out (few ties), never -0 or NaN. */
const gridValue = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom(Infinity, -Infinity, 1e20, 1e20 + 4096))
const spreadValue = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).map((x) => x + 0)

/**
 * Rows whose columns trade off against each other (a large front, as in the join), or not:
 * each row is a base value per column plus a share of a budget that the columns split.
 */
const groupArbitrary = (columns: fc.Arbitrary<number>) =>
  fc.record({ width: columns, rowCount: fc.integer({ min: 0, max: 300 }), grid: fc.boolean() }).chain(({ width, rowCount, grid }) =>
    fc.array(fc.array(grid ? gridValue : spreadValue, { minLength: width, maxLength: width }), { minLength: rowCount, maxLength: rowCount })
      .map((rows) => Array.from({ length: width }, (_, c) => Float64Array.from(rows, (row) => row[c]!)))
  )

const tradeOffArbitrary = (columns: fc.Arbitrary<number>) =>
  fc.record({ width: columns, rowCount: fc.integer({ min: 1, max: 300 }) }).chain(({ width, rowCount }) =>
    fc.array(fc.array(fc.integer({ min: 1, max: 20 }), { minLength: width, maxLength: width }), { minLength: rowCount, maxLength: rowCount })
      .map((rows) => {
        // Shares of a fixed total: no row dominates another unless its shares are all smaller.
        const normalized = rows.map((row) => {
          const total = row.reduce((s, x) => s + x, 0)
          return row.map((x) => Math.round((x / total) * 12))
        })
        return Array.from({ length: width }, (_, c) => Float64Array.from(normalized, (row) => row[c]!))
      })
  )

const keptBy = (front: (columns: ReadonlyArray<Float64Array>, rows: Int32Array, keep: Uint8Array) => void, columns: ReadonlyArray<Float64Array>): Array<number> => {
  const rowCount = columns[0]!.length
  const keep = new Uint8Array(rowCount)
  front(columns, Int32Array.from({ length: rowCount }, (_, i) => i), keep)
  return Array.from({ length: rowCount }, (_, i) => i).filter((i) => keep[i] === 1)
}

const reference = (columns: ReadonlyArray<Float64Array>): Array<number> =>
  Array.from(paretoFrontReference(columns, columns.map(() => "min" as const)))

const threeColumns = (columns: ReadonlyArray<Float64Array>, rows: Int32Array, keep: Uint8Array) =>
  keepThreeColumnFront(columns[0]!, columns[1]!, columns[2]!, rows, keep)

describe("Staircase", () => {
  it("covers a point exactly when some added point is ≤ it in both columns", () => {
    const point = fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 }))
    fc.assert(
      fc.property(fc.array(point, { maxLength: 200 }), (points) => {
        const staircase = new Staircase(1)
        const added: Array<readonly [number, number]> = []
        for (const [y, z] of points) {
          const expected = added.some(([ay, az]) => ay <= y && az <= z)
          expect(staircase.covers(y, z)).toBe(expected)
          if (!expected) {
            staircase.add(y, z)
            added.push([y, z])
          }
        }
      }),
      { seed: SEED, numRuns: 300 }
    )
  })
})

describe("the staircase sweep and the sorted filter (columns reordered) match the quadratic reference on large fronts", () => {
  it("three columns", () => {
    fc.assert(fc.property(groupArbitrary(fc.constant(3)), (columns) => {
      expect(keptBy(threeColumns, columns)).toEqual(reference(columns))
    }), { seed: SEED, numRuns: 100 })
    fc.assert(fc.property(tradeOffArbitrary(fc.constant(3)), (columns) => {
      expect(keptBy(threeColumns, columns)).toEqual(reference(columns))
    }), { seed: SEED, numRuns: 100 })
  })

  it("four to seven columns", () => {
    fc.assert(fc.property(groupArbitrary(fc.integer({ min: 4, max: 7 })), (columns) => {
      expect(keptBy(keepFrontBySortedFilter, columns)).toEqual(reference(columns))
    }), { seed: SEED, numRuns: 80 })
    fc.assert(fc.property(tradeOffArbitrary(fc.integer({ min: 4, max: 7 })), (columns) => {
      expect(keptBy(keepFrontBySortedFilter, columns)).toEqual(reference(columns))
    }), { seed: SEED, numRuns: 50 })
  })
})
