import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { logscaleToTolerance, multiRound, roundHalfToEven, roundToTolerance } from "../src/pareto/index.ts"

const values = (...numbers: Array<number>): Float64Array => Float64Array.from(numbers)
const listOf = (column: Float64Array): Array<number> => Array.from(column)

const isNonDecreasing = (column: Float64Array): boolean => column.every((value, index) => index === 0 || column[index - 1]! <= value)

const sortedColumn = (value: fc.Arbitrary<number>): fc.Arbitrary<Float64Array> =>
  fc.array(value, { minLength: 1, maxLength: 30 }).map((numbers) => Float64Array.from(numbers).sort())

const anyValue = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.integer({ min: -20, max: 20 }),
  fc.constantFrom(0.5, 1.5, 2.5, 9.99, 10, 10.01, 3.333, 3.334)
)
const positiveValue = fc.oneof(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), fc.integer({ min: 1, max: 20 }))
const tolerance = fc.oneof(fc.constantFrom(0.01, 0.1, 0.3, 0.5, 1, 2), fc.double({ min: 1e-4, max: 3, noNaN: true }))

describe("roundHalfToEven", () => {
  it("rounds exact halves to the even neighbour, like numpy", () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6].map(roundHalfToEven)).toEqual([0, 2, 2, -0, -2, -2, 2, 3])
  })
})

describe("roundToTolerance", () => {
  it("rounds to multiples of the tolerance", () => {
    expect(listOf(roundToTolerance(values(0.2, 0.26, 1.74, -0.6), 0.5))).toEqual([0, 0.5, 1.5, -0.5])
  })

  it("returns an unchanged copy for tolerance 0", () => {
    const column = values(1.23, -4.56)
    const rounded = roundToTolerance(column, 0)
    expect(listOf(rounded)).toEqual([1.23, -4.56])
    expect(rounded).not.toBe(column)
  })

  it("rejects negative and non-finite tolerances", () => {
    expect(() => roundToTolerance(values(1), -1)).toThrow(RangeError)
    expect(() => roundToTolerance(values(1), Number.NaN)).toThrow(RangeError)
    expect(() => logscaleToTolerance(values(1), Infinity)).toThrow(RangeError)
  })

  it("is monotone and moves values by at most half a step", () => {
    fc.assert(
      fc.property(sortedColumn(anyValue), tolerance, (column, absolute) => {
        const rounded = roundToTolerance(column, absolute)
        expect(isNonDecreasing(rounded)).toBe(true)
        column.forEach((value, row) => expect(Math.abs(rounded[row]! - value)).toBeLessThanOrEqual(absolute / 2 + 1e-9 * Math.abs(value)))
      }),
      { numRuns: 300 }
    )
  })
})

describe("logscaleToTolerance", () => {
  it("rounds to powers of 1 + t", () => {
    expect(listOf(logscaleToTolerance(values(1, 1.9, 2.1, 3.9, 5, 6), 1))).toEqual([1, 2, 2, 4, 4, 8])
  })

  it("leaves a column with any value <= 0 unchanged", () => {
    expect(listOf(logscaleToTolerance(values(1.3, 0, 7.7), 1))).toEqual([1.3, 0, 7.7])
    expect(listOf(logscaleToTolerance(values(1.3, -2, 7.7), 1))).toEqual([1.3, -2, 7.7])
  })

  it("is monotone and stays within a factor sqrt(1 + t)", () => {
    fc.assert(
      fc.property(sortedColumn(positiveValue), tolerance, (column, relative) => {
        const rounded = logscaleToTolerance(column, relative)
        expect(isNonDecreasing(rounded)).toBe(true)
        const bound = Math.sqrt(1 + relative) * (1 + 1e-9)
        column.forEach((value, row) => {
          expect(rounded[row]!).toBeLessThanOrEqual(value * bound)
          expect(rounded[row]!).toBeGreaterThanOrEqual(value / bound)
        })
      }),
      { numRuns: 300 }
    )
  })

  it("is monotone on columns that contain non-positive values too", () => {
    fc.assert(
      fc.property(sortedColumn(anyValue), tolerance, (column, relative) => {
        expect(isNonDecreasing(logscaleToTolerance(column, relative))).toBe(true)
      }),
      { numRuns: 200 }
    )
  })
})

describe("multiRound", () => {
  it("uses the only nonzero tolerance", () => {
    const column = values(1, 1.9, 2.1, 3.9, 6)
    expect(listOf(multiRound(column, 0, 0.5))).toEqual(listOf(roundToTolerance(column, 0.5)))
    expect(listOf(multiRound(column, 1, 0))).toEqual(listOf(logscaleToTolerance(column, 1)))
  })

  it("rounds small values absolutely and large values on the log grid", () => {
    // t = 1, a = 1: the switch point is x = 1.
    expect(listOf(multiRound(values(-0.7, 0.4, 0.6, 3, 5, 7), 1, 1))).toEqual([-1, 0, 1, 4, 4, 8])
  })

  it("does not step down at the switch point between the two grids", () => {
    // Without clamping, 9.99 rounds (absolutely) to 10 and 10.01 (on the 1.1 log grid) to 9.85.
    const rounded = multiRound(values(9.99, 10.01), 0.1, 1)
    expect(rounded[0]!).toBeLessThanOrEqual(rounded[1]!)
  })

  it("is monotone for any pair of tolerances", () => {
    fc.assert(
      fc.property(sortedColumn(anyValue), tolerance, tolerance, (column, relative, absolute) => {
        expect(isNonDecreasing(multiRound(column, relative, absolute))).toBe(true)
      }),
      { numRuns: 400 }
    )
  })
})
