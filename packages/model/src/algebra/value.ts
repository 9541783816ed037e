/**
 * The numbers the model computes with. Evaluating a mapping, every value is a plain number.
 * Deriving a template's cost terms for the mapper, loop tiles are symbols and values become
 * polynomials in them (algebra/polynomial.ts), computed by the very same model code. Where a
 * step has no polynomial form (a maximum whose winner depends on the row, a division by a
 * sum), the value becomes `NotPolynomial`, carrying the reason, and every later value that
 * depends on it too: the mapper then scores that template's rows numerically.
 *
 * The domain of the polynomials is the rows the mapper enumerates: divisor chains (FFM §3.4),
 * where every loop count is a whole number of at least 1. `loopCount` and `wholeCount` state
 * that fact; everything else is plain algebra. For plain numbers every helper is the
 * arithmetic it names, in the same order, so the numeric model is unchanged.
 */
import {
  type Monomial,
  Polynomial,
  polynomialOverMonomial,
  polynomialProduct,
  polynomialScale,
  polynomialSum,
  zeroExponents
} from "./polynomial.ts"
import { RecentResults } from "./recent-results.ts"

/** Why a value has no polynomial form. */
export class NotPolynomial {
  readonly reason: string
  constructor(reason: string) {
    this.reason = reason
  }
}

export type Value = number | Polynomial | NotPolynomial

/** The first operand that is NotPolynomial, if any. */
const opaque = (a: Value, b: Value): NotPolynomial | undefined =>
  a instanceof NotPolynomial ? a : b instanceof NotPolynomial ? b : undefined

/**
 * The identities: a polynomial p plus 0 (or -0), times 1, is p itself, and times 0 is 0.
 * Computed, p + 0 and p × 1 copy p's monomials in p's order with equal coefficients (× 1 is
 * exact) and take p's floor (floor + 0, floor × 1) through `Polynomial.of`, which keeps it:
 * a p with positive coefficients only has a floor of at least 0 (`of`, `symbol` and
 * `withFloor` on it never make less), so `max(floor, 0)` is that floor. p × 0 is the
 * constant 0 (`polynomialScale`). So the polynomial returned is equal to the one computed,
 * with no copy made: the stats of a buffet start at 0 and meet 0s and 1s in most operations
 * of a template's symbolic analysis (about 14,000 of 22,000 on simple matmuls fused), which
 * the computing way made as polynomials over copied maps. Polynomials are immutable, so
 * holding p twice is safe (recent-results.ts holds results the same way).
 */
const recentSums = new RecentResults<Value>()
const recentProducts = new RecentResults<Value>()

/** `a + b` for operands of which one at least is not a number. */
const symbolicSum = (a: Value, b: Value): Value => {
  const no = opaque(a, b)
  if (no !== undefined) return no
  // Identities (see "The identities" above): the other operand is a polynomial here.
  if (a === 0) return b
  if (b === 0) return a
  return recentSums.find(a, b) ?? recentSums.keep(a, b, polynomialSum(a as Polynomial, b as Polynomial))
}

export const add = <V extends Value>(a: V, b: V | number): V =>
  (typeof a === "number" && typeof b === "number" ? a + b : symbolicSum(a, b)) as V

export const sub = <V extends Value>(a: V, b: V | number): V =>
  (typeof a === "number" && typeof b === "number" ? a - b : add(a, scale(b, -1))) as V

export const scale = <V extends Value>(a: V, c: number): V =>
  (typeof a === "number" ? a * c : a instanceof NotPolynomial ? a : polynomialScale(a as Polynomial, c)) as V

export const mul = <V extends Value>(a: V, b: V | number): V => {
  if (typeof a === "number" && typeof b === "number") return (a * b) as V
  const no = opaque(a, b)
  if (no !== undefined) return no as V
  // Identities (see "The identities" above): the other operand is a polynomial here.
  if (a === 0 || b === 0) return 0 as V
  if (a === 1) return b as V
  if (b === 1) return a
  return (recentProducts.find(a, b) ?? recentProducts.keep(a, b, symbolicProduct(a as Polynomial | number, b as Polynomial | number))) as V
}

/** `a × b` for polynomials or numbers, one at least a polynomial. */
const symbolicProduct = (a: Polynomial | number, b: Polynomial | number): Polynomial | number => {
  if (typeof b === "number") return polynomialScale(a as Polynomial, b)
  if (typeof a === "number") return polynomialScale(b, a)
  return polynomialProduct(a, b)
}

/** `a / b`; a polynomial divides only by a number or a single monomial. */
export const div = <V extends Value>(a: V, b: V | number): V => {
  if (typeof a === "number" && typeof b === "number") return (a / b) as V
  const no = opaque(a, b)
  if (no !== undefined) return no as V
  if (typeof b === "number") {
    if (b === 1) return a
    const p = a as Polynomial
    return polynomialOverMonomial(p, { coef: b, exps: zeroExponents(p.symbols) }, p.floor === undefined || b < 0 ? undefined : p.floor / b) as V
  }
  const divisor = b as Polynomial
  if (!divisor.isMonomial()) return new NotPolynomial("a division by a sum of terms") as V
  return polynomialOverMonomial(a as Polynomial | number, divisor.monomials[0] as Monomial, undefined) as V
}

/**
 * A loop's count, outer extent over its tile. On the mapper's rows (divisor chains) it is a
 * whole number of at least 1; the numeric model takes it as the true division it is.
 */
export const loopCount = <V extends Value>(outer: V, tile: V): V => {
  const n = div(outer, tile)
  return (n instanceof Polynomial ? n.withFloor(1) : n) as V
}

/** `ceil(count)` of a loop count: the identity on the mapper's rows, where counts are whole. */
export const wholeCount = <V extends Value>(count: V): V => (typeof count === "number" ? Math.ceil(count) : count) as V

/** Lower bound of a value over the mapper's rows, when known. */
const floorOf = (v: Value): number | undefined => (typeof v === "number" ? v : v instanceof Polynomial ? v.floor : undefined)

/** 1 when a ≥ b at every row, -1 when a ≤ b at every row, 0 when the row decides. */
const compare = (a: Value, b: Value): -1 | 0 | 1 => {
  if (typeof b === "number" && (floorOf(a) ?? -Infinity) >= b) return 1
  if (typeof a === "number" && (floorOf(b) ?? -Infinity) >= a) return -1
  const d = sub(a, b)
  if (typeof d === "number") return d >= 0 ? 1 : -1
  if (d instanceof NotPolynomial) return 0
  const floor = floorOf(d)
  if (floor !== undefined && floor >= 0) return 1
  // Monomials are positive at every row, so a difference whose coefficients share a sign has that sign.
  return d.sign()
}

/** The larger (`larger`) or the smaller of a and b; NotPolynomial with `where` when the row decides. */
const extreme = <V extends Value>(a: V, b: V | number, where: string, larger: boolean): V => {
  if (typeof a === "number" && typeof b === "number") return (larger ? Math.max(a, b) : Math.min(a, b)) as V
  const no = opaque(a, b)
  if (no !== undefined) return no as V
  const c = compare(a, b)
  return (c === 0 ? new NotPolynomial(where) : (c === 1) === larger ? a : b) as V
}

/**
 * max(a, b). For polynomials only when one is at least the other at every row (a difference
 * whose monomials all have one sign, or a known floor); otherwise the row decides, which no
 * polynomial can say: NotPolynomial with `where` as the reason.
 */
export const max = <V extends Value>(a: V, b: V | number, where: string): V => extreme(a, b, where, true)

/** min(a, b), as `max`. */
export const min = <V extends Value>(a: V, b: V | number, where: string): V => extreme(a, b, where, false)

/**
 * Whether a value is zero: for a number, exactly; a polynomial is never zero when it has a
 * positive floor or coefficients of one sign. Undefined when the row decides.
 */
export const isZero = (v: Value): boolean | undefined => {
  if (typeof v === "number") return v === 0
  if (v instanceof NotPolynomial) return undefined
  const floor = v.floor
  return (floor !== undefined && floor > 0) || v.sign() !== 0 ? false : undefined
}

/** `v > 1` (a loop that iterates); undefined when the row decides. */
export const exceedsOne = (v: Value): boolean | undefined => {
  if (typeof v === "number") return v > 1
  const c = compare(v, 1)
  return c === -1 ? false : undefined
}

export { Polynomial }
