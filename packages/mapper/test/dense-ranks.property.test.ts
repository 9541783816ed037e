/**
 * Dense ranks (pareto/dense-ranks.ts), by bisection on small row sets and by hashing to the
 * distinct values on larger ones (ranked by bisection, or by argsort when there are many): each
 * row's rank is the number of distinct values below its own, on few- and many-valued columns
 * with ties, infinities and both zeros, over any subset of rows.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { denseRanks } from "../src/pareto/dense-ranks.ts"

/** The definition: distinct values (the zeros as one) ascending, each row's value's index among them. */
const reference = (column: Float64Array, rows: Int32Array) => {
  const values = Array.from(rows, (r) => column[r]! + 0)
  const distinct = [...new Set(values)].sort((a, b) => a - b)
  return { codes: values.map((v) => distinct.indexOf(v)), distinct: distinct.length }
}

const value = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 12 }).map((k) => k * 0.37) },
  { weight: 2, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(Infinity, -0, 0) }
)

describe("dense ranks", () => {
  it("rank each row among the distinct values, on both sides of the bisection's limit", () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 600 }), fc.double({ min: 0, max: 1, noNaN: true }), (list, keepShare) => {
        const column = Float64Array.from(list)
        // A subset of the rows, in order, as a group of the front is.
        const rows = Int32Array.from(list.flatMap((_, r) => ((r * 7919) % 100) / 100 < Math.max(keepShare, 0.05) ? [r] : []))
        if (rows.length === 0) return
        const ranks = denseRanks(column, rows)
        const expected = reference(column, rows)
        expect(ranks.distinct).toBe(expected.distinct)
        expect(Array.from(ranks.codes)).toEqual(expected.codes)
      }),
      { numRuns: 300, seed: 26 }
    )
  })

  it("rank each row among hundreds of distinct values (the argsort's side, and hash probes that collide)", () => {
    // Multiples of a power of two share their low bits: the hash must still tell them apart.
    const many = fc.oneof(fc.integer({ min: -400, max: 400 }).map((k) => k * 2 ** 20), fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.constantFrom(-0, 0))
    fc.assert(
      fc.property(fc.array(many, { minLength: 300, maxLength: 1500 }), (list) => {
        const column = Float64Array.from(list)
        const rows = Int32Array.from(list, (_, r) => r)
        const ranks = denseRanks(column, rows)
        const expected = reference(column, rows)
        expect(ranks.distinct).toBe(expected.distinct)
        expect(Array.from(ranks.codes)).toEqual(expected.codes)
      }),
      { numRuns: 40, seed: 27 }
    )
  })
})
