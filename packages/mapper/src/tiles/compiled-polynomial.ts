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
}

export const compilePolynomial = (p: Polynomial | number): CompiledPolynomial => {
  if (typeof p === "number") return { constant: p, coefs: new Float64Array(0), start: new Int32Array(1), symbol: new Int32Array(0), power: new Int8Array(0) }
  let constant = 0
  const coefs: Array<number> = []
  const start = [0]
  const symbol: Array<number> = []
  const power: Array<number> = []
  for (const m of p.terms.values()) {
    if (m.exps.every((e) => e === 0)) {
      constant += m.coef
      continue
    }
    coefs.push(m.coef)
    m.exps.forEach((e, i) => {
      if (e === 0) return
      symbol.push(i)
      power.push(e)
    })
    start.push(symbol.length)
  }
  return { constant, coefs: Float64Array.from(coefs), start: Int32Array.from(start), symbol: Int32Array.from(symbol), power: Int8Array.from(power) }
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
