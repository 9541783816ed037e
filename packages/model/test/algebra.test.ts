/**
 * The model's numbers (algebra/): plain numbers are plain arithmetic; polynomials in tile
 * symbols add, multiply and divide by monomials; a maximum has a polynomial form only when one
 * side wins at every row (the rows being divisor chains, where loop counts are at least 1), and
 * otherwise the value says why, which every value computed from it keeps.
 */
import { describe, expect, it } from "vitest"
import { algebra, NotPolynomial, Polynomial, type Value } from "../src/index.ts"

const { add, div, isZero, loopCount, max, min, mul, sub, wholeCount } = algebra
const t = (k: number): Value => Polynomial.symbol(k, 3)
/** A number, as a model value (so the helpers take polynomials beside it). */
const c = (x: number): Value => x
const at = (v: Value, row: ArrayLike<number>) => (typeof v === "number" ? v : (v as Polynomial).evaluate(row))

describe("the model's numbers", () => {
  it("are plain arithmetic on numbers", () => {
    expect([add(2, 3), sub(2, 3), mul(2, 3), div(3, 2), max(2, 3, ""), min(2, 3, ""), wholeCount(2.5), loopCount(8, 2)]).toEqual([5, -1, 6, 1.5, 3, 2, 3, 4])
  })

  it("are polynomials in tile symbols, which evaluate to the numbers at a row", () => {
    // 64 / t0 fills of a tile t0 * t1, plus a halo (t2 + 1).
    const v = add(mul(loopCount(c(64), t(0)), mul(t(0), t(1))), add(t(2), 1))
    const row = [4, 8, 2]
    expect(at(v, row)).toBe((64 / 4) * (4 * 8) + 3)
    // The t0 cancels: 64 t1 + t2 + 1, three monomials.
    expect((v as unknown as Polynomial).terms.size).toBe(3)
    expect(sub(v, v)).toBe(0)
    expect(at(div(v, t(1)), row)).toBeCloseTo(at(v, row) / 8, 12)
  })

  it("take a maximum only when one side wins at every row", () => {
    const n = loopCount(t(0), t(1))
    expect(max(c(0), n, "never")).toBe(n)                    // a count is at least 1
    expect(min(c(1), n, "never")).toBe(1)
    expect(max(mul(t(0), 2), t(0), "never")).toEqual(mul(t(0), 2))
    const undecided = max(t(0), t(1), "the row decides")
    expect(undecided).toBeInstanceOf(NotPolynomial)
    expect((undecided as unknown as NotPolynomial).reason).toBe("the row decides")
    // It propagates through everything computed from it.
    expect(add(mul(undecided, 2), t(2))).toBe(undecided)
  })

  it("know a polynomial is never zero only when its sign is fixed", () => {
    expect(isZero(t(0))).toBe(false)
    expect(isZero(sub(t(0), 1))).toBeUndefined()               // zero where t0 = 1
    expect(isZero(0)).toBe(true)
  })

  it("divide only by a single monomial", () => {
    expect(div(t(0), add(t(1), 1))).toBeInstanceOf(NotPolynomial)
    // A monomial whose coefficient cancels is gone: (t0 + t1) - t1 is the single monomial t0.
    const left = sub(add(t(0), t(1)), t(1))
    expect((left as unknown as Polynomial).isMonomial()).toBe(true)
    expect(at(div(t(2), left), [4, 8, 2])).toBe(0.5)
  })
})
