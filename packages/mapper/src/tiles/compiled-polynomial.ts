/**
 * A cost term compiled for the hot loops: evaluating it at a tile row touches only typed
 * arrays (the search evaluates terms for millions of rows).
 */
import type { Polynomial } from "@effect-accelforge/model"

/** A polynomial (or a constant) as flat arrays: monomial m is `coefs[m] × Π tile[symbol]^power` over `start[m]..start[m+1]`. */
export interface CompiledPolynomial {
  readonly constant: number
  readonly coefs: Float64Array
  readonly start: Int32Array
  readonly symbol: Int32Array
  readonly power: Int8Array
  /** Per factor: where a row's `RowFactors` hold its value (tile^1 or tile^-1), or -1 for other powers. */
  readonly factor: Int32Array
  /** Whether every factor is held by a row's factors (no power but 1 and -1): the scorer's loop then needs no other case. */
  readonly factored: boolean
}

const EMPTY: CompiledPolynomial = { constant: 0, coefs: new Float64Array(0), start: new Int32Array(1), symbol: new Int32Array(0), power: new Int8Array(0), factor: new Int32Array(0), factored: true }

/** Plain loops, sized first (templates compile many terms, most of them cold code). */
export const compilePolynomial = (p: Polynomial | number): CompiledPolynomial => {
  if (typeof p === "number") return { ...EMPTY, constant: p }
  let monomials = 0
  let factors = 0
  const ms = p.monomials
  for (let k = 0; k < ms.length; k++) {
    const m = ms[k]!
    let used = 0
    for (let i = 0; i < m.exps.length; i++) if (m.exps[i] !== 0) used++
    if (used > 0) {
      monomials++
      factors += used
    }
  }
  let constant = 0
  const coefs = new Float64Array(monomials)
  const start = new Int32Array(monomials + 1)
  const symbol = new Int32Array(factors)
  const power = new Int8Array(factors)
  const factor = new Int32Array(factors)
  let m = 0
  let f = 0
  for (let k = 0; k < ms.length; k++) {
    const t = ms[k]!
    const first = f
    for (let i = 0; i < t.exps.length; i++) {
      const e = t.exps[i]!
      if (e === 0) continue
      symbol[f] = i
      power[f] = e
      factor[f] = rowFactorSlot(i, e)
      f++
    }
    if (f === first) {
      constant += t.coef
      continue
    }
    coefs[m++] = t.coef
    start[m] = f
  }
  return { constant, coefs, start, symbol, power, factor, factored: factor.every((k) => k >= 0) }
}

/** The value at one row (`tiles[offset + k]` is symbol k). */
export const evaluateCompiled = (c: CompiledPolynomial, tiles: ArrayLike<number>, offset: number): number => {
  let sum = c.constant
  for (let m = 0; m < c.coefs.length; m++) {
    let v = c.coefs[m]!
    for (let f = c.start[m]!; f < c.start[m + 1]!; f++) {
      const t = tiles[offset + c.symbol[f]!]!
      const e = c.power[f]!
      v *= e === 1 ? t : e === -1 ? 1 / t : Math.pow(t, e)
    }
    sum += v
  }
  return sum
}

/**
 * A row's tiles and their reciprocals (`2k`: tile k, `2k + 1`: 1 / tile k), filled once per row
 * by `fillRowFactors`: most factors of the cost terms are one or the other, and a row's terms
 * share them, so each reciprocal is divided out once per row instead of once per factor. The
 * values are the same numbers `evaluateCompiled` multiplies by, so the sums are bit for bit its.
 */
export const fillRowFactors = (factors: Float64Array, tiles: ArrayLike<number>, offset: number, width: number): void => {
  for (let k = 0; k < width; k++) {
    const t = tiles[offset + k]!
    factors[2 * k] = t
    factors[2 * k + 1] = 1 / t
  }
}

/** Where a row's factors (`fillRowFactors`) hold symbol `i` to the power `e`: its tile, its reciprocal, or -1 for another power. */
export const rowFactorSlot = (i: number, e: number): number => (e === 1 ? 2 * i : e === -1 ? 2 * i + 1 : -1)

/** `evaluateCompiled` at the row whose factors `fillRowFactors` filled. */
export const evaluateWithFactors = (c: CompiledPolynomial, factors: Float64Array, tiles: ArrayLike<number>, offset: number): number => {
  let sum = c.constant
  const { coefs, start, factor } = c
  if (c.factored) {
    // The usual case: the same products and sums, without the test per factor.
    for (let m = 0; m < coefs.length; m++) {
      let v = coefs[m]!
      for (let f = start[m]!; f < start[m + 1]!; f++) v *= factors[factor[f]!]!
      sum += v
    }
    return sum
  }
  for (let m = 0; m < coefs.length; m++) {
    let v = coefs[m]!
    for (let f = start[m]!; f < start[m + 1]!; f++) {
      const k = factor[f]!
      v *= k >= 0 ? factors[k]! : Math.pow(tiles[offset + c.symbol[f]!]!, c.power[f]!)
    }
    sum += v
  }
  return sum
}
