/**
 * Symbolic sums and products reuse a recent result for the same operands (algebra/recent-results.ts):
 * every value a program of sums, differences and products computes is the one the polynomial
 * functions compute afresh, monomial by monomial in the same order, with the same floor.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { algebra, Polynomial, type Value } from "../src/index.ts"
import { polynomialProduct, polynomialScale, polynomialSum } from "../src/algebra/polynomial.ts"

const SYMBOLS = 3

/** The reference: the polynomial functions themselves, no reuse. */
const freshSum = (a: Value, b: Value): Value =>
  typeof a === "number" && typeof b === "number" ? a + b : polynomialSum(a as Polynomial | number, b as Polynomial | number)
const freshProduct = (a: Value, b: Value): Value =>
  typeof a === "number" && typeof b === "number" ? a * b
    : typeof b === "number" ? polynomialScale(a as Polynomial, b)
    : typeof a === "number" ? polynomialScale(b as Polynomial, a)
    : polynomialProduct(a as Polynomial, b as Polynomial)
const freshDifference = (a: Value, b: Value): Value =>
  typeof a === "number" && typeof b === "number" ? a - b : freshSum(a, typeof b === "number" ? b * -1 : polynomialScale(b as Polynomial, -1))

/** A value as comparable data: its monomials in order and its floor. */
const shape = (v: Value) =>
  v instanceof Polynomial ? { floor: v.floor, terms: [...v.terms.values()].map((m) => [m.coef, ...m.exps]) } : v

const step = fc.record({ op: fc.constantFrom("add", "sub", "mul"), a: fc.nat(), b: fc.nat() })

describe("recent symbolic results", () => {
  it("a program's every value equals the polynomial functions' own (operands reused often)", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), fc.array(fc.constantFrom(0, 1, 2, -1, 0.5), { maxLength: 3 }), (steps, numbers) => {
        const start: Array<Value> = [...Array.from({ length: SYMBOLS }, (_, k) => Polynomial.symbol(k, SYMBOLS)), ...numbers]
        const reused = [...start]
        const fresh = [...start]
        for (const { op, a, b } of steps) {
          // Recent values are picked most (the analysis's pattern): indices from the end.
          const i = reused.length - 1 - (a % Math.min(reused.length, 6))
          const j = reused.length - 1 - (b % Math.min(reused.length, 6))
          const ours = op === "add" ? algebra.add(reused[i]!, reused[j]!) : op === "sub" ? algebra.sub(reused[i]!, reused[j]!) : algebra.mul(reused[i]!, reused[j]!)
          const theirs = op === "add" ? freshSum(fresh[i]!, fresh[j]!) : op === "sub" ? freshDifference(fresh[i]!, fresh[j]!) : freshProduct(fresh[i]!, fresh[j]!)
          expect(shape(ours)).toEqual(shape(theirs))
          reused.push(ours)
          fresh.push(theirs)
        }
      }),
      { numRuns: 300, seed: 26 }
    )
  })
})
