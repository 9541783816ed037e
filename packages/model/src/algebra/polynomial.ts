/**
 * Sums of monomials in a pmapping template's tile symbols (symbol k: the tile shape of the
 * template's k-th loop). For a fixed template every count of the analytical model takes this
 * form: a loop's count is its outer tile over its own, a tensor's tile is a product of affine
 * terms in tiles, and the reuse analysis only adds and multiplies such values.
 *
 * A polynomial is immutable. A constant is never a Polynomial (it is a plain number), so
 * `typeof v === "number"` is the fast numeric path of the model. Coefficients may be negative
 * (halos, skipped first accesses); exponents are small integers, negative for a loop count's
 * own tile. Every monomial is positive at every row, since tiles are.
 */

export interface Monomial {
  readonly coef: number
  /** Exponent of each symbol. */
  readonly exps: Int8Array
}

/** Scratch for `keyOf`'s character codes (one key is made at a time). */
const keyCodes: Array<number> = []

/**
 * One character per exponent, made as one string: appending a character at a time made a
 * string per exponent, then flattened the chain when the key was first looked up (the keys of
 * the products were the symbolic pass's largest allocation).
 */
const keyOf = (exps: Int8Array): string => {
  keyCodes.length = exps.length
  for (let i = 0; i < exps.length; i++) keyCodes[i] = exps[i]! + 128
  return String.fromCharCode.apply(null, keyCodes)
}

const isConstant = (exps: Int8Array): boolean => {
  for (let i = 0; i < exps.length; i++) if (exps[i] !== 0) return false
  return true
}

export class Polynomial {
  /** Monomials by exponent key; at least one of them is not constant. */
  readonly terms: ReadonlyMap<string, Monomial>
  readonly symbols: number
  /**
   * A lower bound of the value at every row the mapper enumerates, when one is known (loop
   * counts are at least 1 there, and sums and products of non-negative bounds carry over).
   */
  readonly floor: number | undefined

  private constructor(terms: ReadonlyMap<string, Monomial>, symbols: number, floor: number | undefined) {
    this.terms = terms
    this.symbols = symbols
    this.floor = floor
  }

  /** The value the terms make: a number when only a constant (or nothing) is left. */
  static of(terms: Map<string, Monomial>, symbols: number, floor: number | undefined): Polynomial | number {
    let constant = 0
    let other = 0
    let zeros = false
    // Positive: every coefficient left (all nonzero) is.
    let positive = true
    // Over values, not [key, value] entries: much of this runs cold, where an entry per step costs.
    for (const m of terms.values()) {
      if (m.coef === 0) zeros = true
      else {
        if (m.coef < 0) positive = false
        if (isConstant(m.exps)) constant = m.coef
        else other++
      }
    }
    if (zeros) {
      terms.forEach((m, key) => {
        if (m.coef === 0) terms.delete(key)
      })
    }
    if (other === 0) return constant
    // A sum of positive monomials is positive: that floor is always known.
    const known = floor === undefined ? (positive ? 0 : undefined) : positive ? Math.max(floor, 0) : floor
    return new Polynomial(terms, symbols, known)
  }

  /** The tile of loop `index` among `symbols` loops (at least 1 at every row). */
  static symbol(index: number, symbols: number): Polynomial {
    const exps = new Int8Array(symbols)
    exps[index] = 1
    return new Polynomial(new Map([[keyOf(exps), { coef: 1, exps }]]), symbols, 1)
  }

  /** The same polynomial with a known lower bound (a domain fact the caller vouches for). */
  withFloor(floor: number): Polynomial {
    return new Polynomial(this.terms, this.symbols, Math.max(floor, this.floor ?? -Infinity))
  }

  /** Every coefficient has this sign (0: mixed). */
  sign(): -1 | 0 | 1 {
    let pos = false
    let neg = false
    for (const m of this.terms.values()) {
      if (m.coef > 0) pos = true
      else neg = true
    }
    return pos && !neg ? 1 : neg && !pos ? -1 : 0
  }

  /** Whether the polynomial is a single monomial (no constant). */
  isMonomial(): boolean {
    return this.terms.size === 1
  }

  evaluate(tiles: ArrayLike<number>, offset = 0): number {
    let sum = 0
    for (const t of this.terms.values()) sum += t.coef * monomialValue(t.exps, tiles, offset)
    return sum
  }
}

/** The value of one monomial's symbol part at a row. */
export const monomialValue = (exps: Int8Array, tiles: ArrayLike<number>, offset = 0): number => {
  let v = 1
  for (let i = 0; i < exps.length; i++) {
    const e = exps[i]!
    if (e !== 0) v *= e === 1 ? tiles[offset + i]! : e === -1 ? 1 / tiles[offset + i]! : Math.pow(tiles[offset + i]!, e)
  }
  return v
}

const termsOf = (p: Polynomial | number, symbols: number): Map<string, Monomial> => {
  if (typeof p !== "number") return new Map(p.terms)
  const exps = new Int8Array(symbols)
  return new Map(p === 0 ? [] : [[keyOf(exps), { coef: p, exps }]])
}

/** Add `p`'s monomials into `out`, in `p`'s order (without copying `p`'s terms first). */
const addAllInto = (out: Map<string, Monomial>, p: Polynomial | number, symbols: number): void => {
  if (typeof p !== "number") {
    p.terms.forEach((m, key) => addInto(out, m, key))
  } else if (p !== 0) {
    const exps = new Int8Array(symbols)
    addInto(out, { coef: p, exps }, keyOf(exps))
  }
}

const floorOf = (p: Polynomial | number): number | undefined => (typeof p === "number" ? p : p.floor)

const addInto = (out: Map<string, Monomial>, m: Monomial, key = keyOf(m.exps)): void => {
  const prev = out.get(key)
  out.set(key, prev === undefined ? m : { coef: prev.coef + m.coef, exps: prev.exps })
}

export const polynomialSum = (a: Polynomial | number, b: Polynomial | number): Polynomial | number => {
  const symbols = typeof a === "number" ? (b as Polynomial).symbols : a.symbols
  const out = termsOf(a, symbols)
  addAllInto(out, b, symbols)
  const fa = floorOf(a)
  const fb = floorOf(b)
  return Polynomial.of(out, symbols, fa === undefined || fb === undefined ? undefined : fa + fb)
}

export const polynomialScale = (p: Polynomial, c: number): Polynomial | number => {
  if (c === 0) return 0
  const out = new Map<string, Monomial>()
  p.terms.forEach((m, key) => out.set(key, { coef: m.coef * c, exps: m.exps }))
  return Polynomial.of(out, p.symbols, p.floor === undefined || c < 0 ? undefined : p.floor * c)
}

/**
 * `p × y` for a single monomial `y` (a loop count, a tile): shifting exponents by `y`'s maps
 * distinct monomials to distinct ones, so nothing merges and the general product below would
 * make these very monomials, in `p`'s order (y × p: the same, y's coefficient on the left).
 */
const productWithMonomial = (p: Polynomial, y: Monomial, yFirst: boolean): Map<string, Monomial> => {
  const out = new Map<string, Monomial>()
  for (const x of p.terms.values()) {
    const exps = new Int8Array(p.symbols)
    for (let i = 0; i < exps.length; i++) exps[i] = yFirst ? y.exps[i]! + x.exps[i]! : x.exps[i]! + y.exps[i]!
    out.set(keyOf(exps), { coef: yFirst ? y.coef * x.coef : x.coef * y.coef, exps })
  }
  return out
}

const onlyTerm = (p: Polynomial): Monomial | undefined => (p.terms.size === 1 ? p.terms.values().next().value : undefined)

export const polynomialProduct = (a: Polynomial, b: Polynomial): Polynomial | number => {
  const fa = a.floor
  const fb = b.floor
  const floor = fa !== undefined && fb !== undefined && fa >= 0 && fb >= 0 ? fa * fb : undefined
  const yb = onlyTerm(b)
  if (yb !== undefined) return Polynomial.of(productWithMonomial(a, yb, false), a.symbols, floor)
  const ya = onlyTerm(a)
  if (ya !== undefined) return Polynomial.of(productWithMonomial(b, ya, true), a.symbols, floor)
  const out = new Map<string, Monomial>()
  for (const x of a.terms.values()) {
    for (const y of b.terms.values()) {
      const exps = new Int8Array(a.symbols)
      for (let i = 0; i < exps.length; i++) exps[i] = x.exps[i]! + y.exps[i]!
      addInto(out, { coef: x.coef * y.coef, exps })
    }
  }
  return Polynomial.of(out, a.symbols, floor)
}

/** `p / m` for a single monomial `m` (division by a sum is not a polynomial). */
export const polynomialOverMonomial = (p: Polynomial | number, m: Monomial, floor: number | undefined): Polynomial | number => {
  const symbols = m.exps.length
  const out = new Map<string, Monomial>()
  const terms = typeof p === "number" ? termsOf(p, symbols).values() : p.terms.values()
  for (const t of terms) {
    const exps = new Int8Array(symbols)
    for (let i = 0; i < symbols; i++) exps[i] = t.exps[i]! - m.exps[i]!
    addInto(out, { coef: t.coef / m.coef, exps })
  }
  return Polynomial.of(out, symbols, floor)
}
