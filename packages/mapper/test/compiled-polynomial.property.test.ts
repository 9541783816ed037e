/**
 * A compiled cost term (tiles/compiled-polynomial.ts) is its polynomial: on random polynomials
 * made by the model's algebra from tile symbols (sums, products, loop counts, scales), its
 * value at random tile rows, plain or through a row's factors, is the polynomial's own, and the
 * two ways give the same bits.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { algebra, Polynomial, type Value } from "@effect-accelforge/model"
import { compilePolynomial, evaluateCompiled, evaluateWithFactors, fillRowFactors } from "../src/tiles/compiled-polynomial.ts"

const SYMBOLS = 4

type Step = { readonly op: "add" | "mul" | "count" | "scale"; readonly symbol: number; readonly c: number }

const stepArbitrary: fc.Arbitrary<Step> = fc.record({
  op: fc.constantFrom("add" as const, "mul" as const, "count" as const, "scale" as const),
  symbol: fc.nat(SYMBOLS - 1),
  c: fc.integer({ min: -3, max: 5 })
})

/** A value built from symbol 0 by `steps` (a loop count: the value over a symbol). */
const build = (steps: ReadonlyArray<Step>): Value => {
  const symbol = (k: number) => Polynomial.symbol(k, SYMBOLS)
  return steps.reduce<Value>((v, s) =>
    s.op === "add" ? algebra.add(v, algebra.scale(symbol(s.symbol), s.c))
    : s.op === "mul" ? algebra.mul(v, symbol(s.symbol))
    : s.op === "count" ? algebra.loopCount(v, symbol(s.symbol))
    : algebra.add(algebra.scale(v, s.c), s.c), symbol(0))
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))

describe("compiled polynomials", () => {
  it("evaluate as their polynomial at every row, plain and through the row's factors", () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { maxLength: 8 }), fc.array(fc.constantFrom(1, 2, 3, 4, 8, 16), { minLength: SYMBOLS, maxLength: SYMBOLS }), (steps, tiles) => {
        const p = build(steps) as Polynomial | number
        const want = typeof p === "number" ? p : p.evaluate(tiles)
        const compiled = compilePolynomial(p)
        const factors = new Float64Array(2 * SYMBOLS)
        fillRowFactors(factors, tiles, 0, SYMBOLS)
        expect(close(evaluateCompiled(compiled, tiles, 0), want)).toBe(true)
        expect(close(evaluateWithFactors(compiled, factors, tiles, 0), want)).toBe(true)
      }),
      { seed: 25, numRuns: 500 }
    )
  })

  it("give the same bits through the row's factors as plain, with or without powers other than 1 and -1", () => {
    // Tiles whose reciprocals round, so that another order of the products or sums shows.
    fc.assert(
      fc.property(fc.array(stepArbitrary, { maxLength: 8 }), fc.array(fc.constantFrom(3, 5, 6, 7, 11, 12, 13), { minLength: SYMBOLS, maxLength: SYMBOLS }), (steps, tiles) => {
        const compiled = compilePolynomial(build(steps) as Polynomial | number)
        const factors = new Float64Array(2 * SYMBOLS)
        fillRowFactors(factors, tiles, 0, SYMBOLS)
        expect(evaluateWithFactors(compiled, factors, tiles, 0)).toBe(evaluateCompiled(compiled, tiles, 0))
      }),
      { seed: 26, numRuns: 500 }
    )
  })
})
