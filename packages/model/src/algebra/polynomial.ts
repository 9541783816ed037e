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
  /**
   * Exponent of each symbol: small integers, in a plain array (a typed array per monomial cost
   * the symbolic pass more to make than all its arithmetic on it).
   */
  readonly exps: ReadonlyArray<number>
}

/** Scratch for `keyOf`'s character codes (one key is made at a time). */
const keyCodes: Array<number> = []

/**
 * One character per exponent, made as one string: appending a character at a time made a
 * string per exponent, then flattened the chain when the key was first looked up (the keys of
 * the products were the symbolic pass's largest allocation).
 */
const keyOf = (exps: ReadonlyArray<number>): string => {
  keyCodes.length = exps.length
  for (let i = 0; i < exps.length; i++) keyCodes[i] = exps[i]! + 128
  return String.fromCharCode.apply(null, keyCodes)
}

/** Exponents of a constant: all 0. */
export const zeroExponents = (symbols: number): Array<number> => new Array<number>(symbols).fill(0)

const isConstant = (exps: ReadonlyArray<number>): boolean => {
  for (let i = 0; i < exps.length; i++) if (exps[i] !== 0) return false
  return true
}

/**
 * Monomials gathered by key in first-seen order (a Map's order), merged as they come: each
 * key's position in the lists, and the lists themselves, which the polynomial keeps. Lists read
 * by index cost no iterator result or entry pair per monomial, which the symbolic pass (run per
 * template, mostly cold) paid on every walk over a map of monomials.
 */
class Gathered {
  readonly keys: Array<string> = []
  readonly monomials: Array<Monomial> = []
  private readonly position = new Map<string, number>()

  /** Add `m` under `key`: a new key is appended, a known one has its coefficient summed. */
  add(m: Monomial, key: string): void {
    const at = this.position.get(key)
    if (at === undefined) {
      this.position.set(key, this.keys.length)
      this.keys.push(key)
      this.monomials.push(m)
    } else {
      const prev = this.monomials[at]!
      this.monomials[at] = { coef: prev.coef + m.coef, exps: prev.exps }
    }
  }
}

export class Polynomial {
  /** The monomials, at least one of them not constant, in the order the operations made them (each where its key first appeared). */
  readonly monomials: ReadonlyArray<Monomial>
  /**
   * Their exponent keys (distinct), once made: an operation that merges nothing (a product
   * with a single monomial, a scale: most of the symbolic pass's) makes none, and a key is made
   * only for a polynomial that is merged into another (a sum, a product of sums).
   */
  #keys: ReadonlyArray<string> | undefined
  /** The monomials by key, made on demand (`terms`): few readers ask, and no map is made for the others. */
  #terms: ReadonlyMap<string, Monomial> | undefined
  readonly symbols: number
  /**
   * A lower bound of the value at every row the mapper enumerates, when one is known (loop
   * counts are at least 1 there, and sums and products of non-negative bounds carry over).
   */
  readonly floor: number | undefined

  private constructor(monomials: ReadonlyArray<Monomial>, keys: ReadonlyArray<string> | undefined, symbols: number, floor: number | undefined) {
    this.monomials = monomials
    this.#keys = keys
    this.symbols = symbols
    this.floor = floor
  }

  /** Each monomial's exponent key, by position. */
  get keys(): ReadonlyArray<string> {
    if (this.#keys === undefined) {
      const keys: Array<string> = []
      for (let i = 0; i < this.monomials.length; i++) keys.push(keyOf(this.monomials[i]!.exps))
      this.#keys = keys
    }
    return this.#keys
  }

  /** The keys when already made (a scale keeps them), else undefined. */
  get keysIfMade(): ReadonlyArray<string> | undefined {
    return this.#keys
  }

  /** Monomials by exponent key, in the polynomial's order. */
  get terms(): ReadonlyMap<string, Monomial> {
    if (this.#terms === undefined) {
      const made = new Map<string, Monomial>()
      const keys = this.keys
      for (let i = 0; i < keys.length; i++) made.set(keys[i]!, this.monomials[i]!)
      this.#terms = made
    }
    return this.#terms
  }

  /**
   * The value the monomials make (distinct; `keys` theirs in the same order, or undefined to be
   * made when asked): a number when only a constant (or nothing) is left. Monomials with a zero
   * coefficient are dropped. The lists are the polynomial's from then on (callers pass lists
   * they made for it).
   */
  static of(monomials: Array<Monomial>, keys: Array<string> | undefined, symbols: number, floor: number | undefined): Polynomial | number {
    let constant = 0
    let other = 0
    let zeros = 0
    // Positive: every coefficient left (all nonzero) is.
    let positive = true
    for (let i = 0; i < monomials.length; i++) {
      const m = monomials[i]!
      if (m.coef === 0) zeros++
      else {
        if (m.coef < 0) positive = false
        if (isConstant(m.exps)) constant = m.coef
        else other++
      }
    }
    if (other === 0) return constant
    if (zeros > 0) {
      let kept = 0
      for (let i = 0; i < monomials.length; i++) {
        if (monomials[i]!.coef === 0) continue
        if (keys !== undefined) keys[kept] = keys[i]!
        monomials[kept++] = monomials[i]!
      }
      monomials.length = kept
      if (keys !== undefined) keys.length = kept
    }
    // A sum of positive monomials is positive: that floor is always known.
    const known = floor === undefined ? (positive ? 0 : undefined) : positive ? Math.max(floor, 0) : floor
    return new Polynomial(monomials, keys, symbols, known)
  }

  /** The tile of loop `index` among `symbols` loops (at least 1 at every row). */
  static symbol(index: number, symbols: number): Polynomial {
    const exps = zeroExponents(symbols)
    exps[index] = 1
    return new Polynomial([{ coef: 1, exps }], undefined, symbols, 1)
  }

  /** The same polynomial with a known lower bound (a domain fact the caller vouches for). */
  withFloor(floor: number): Polynomial {
    return new Polynomial(this.monomials, this.#keys, this.symbols, Math.max(floor, this.floor ?? -Infinity))
  }

  /** Every coefficient has this sign (0: mixed). */
  sign(): -1 | 0 | 1 {
    let pos = false
    let neg = false
    const monomials = this.monomials
    for (let i = 0; i < monomials.length; i++) {
      if (monomials[i]!.coef > 0) pos = true
      else neg = true
    }
    return pos && !neg ? 1 : neg && !pos ? -1 : 0
  }

  /** Whether the polynomial is a single monomial (no constant). */
  isMonomial(): boolean {
    return this.monomials.length === 1
  }

  evaluate(tiles: ArrayLike<number>, offset = 0): number {
    let sum = 0
    const monomials = this.monomials
    for (let i = 0; i < monomials.length; i++) {
      const t = monomials[i]!
      sum += t.coef * monomialValue(t.exps, tiles, offset)
    }
    return sum
  }
}

/** The value of one monomial's symbol part at a row. */
export const monomialValue = (exps: ReadonlyArray<number>, tiles: ArrayLike<number>, offset = 0): number => {
  let v = 1
  for (let i = 0; i < exps.length; i++) {
    const e = exps[i]!
    if (e !== 0) v *= e === 1 ? tiles[offset + i]! : e === -1 ? 1 / tiles[offset + i]! : Math.pow(tiles[offset + i]!, e)
  }
  return v
}

/** Add `p`'s monomials into `out`, in `p`'s order. */
const addAllInto = (out: Gathered, p: Polynomial | number, symbols: number): void => {
  if (typeof p !== "number") {
    const { keys, monomials } = p
    for (let i = 0; i < monomials.length; i++) out.add(monomials[i]!, keys[i]!)
  } else if (p !== 0) {
    const exps = zeroExponents(symbols)
    out.add({ coef: p, exps }, keyOf(exps))
  }
}

const floorOf = (p: Polynomial | number): number | undefined => (typeof p === "number" ? p : p.floor)

export const polynomialSum = (a: Polynomial | number, b: Polynomial | number): Polynomial | number => {
  const symbols = typeof a === "number" ? (b as Polynomial).symbols : a.symbols
  const out = new Gathered()
  addAllInto(out, a, symbols)
  addAllInto(out, b, symbols)
  const fa = floorOf(a)
  const fb = floorOf(b)
  return Polynomial.of(out.monomials, out.keys, symbols, fa === undefined || fb === undefined ? undefined : fa + fb)
}

export const polynomialScale = (p: Polynomial, c: number): Polynomial | number => {
  if (c === 0) return 0
  // The keys stay p's: distinct, nothing merges.
  const monomials: Array<Monomial> = []
  const ms = p.monomials
  for (let i = 0; i < ms.length; i++) monomials.push({ coef: ms[i]!.coef * c, exps: ms[i]!.exps })
  return Polynomial.of(monomials, p.keysIfMade?.slice(), p.symbols, p.floor === undefined || c < 0 ? undefined : p.floor * c)
}

/**
 * `p × y` for a single monomial `y` (a loop count, a tile): shifting exponents by `y`'s maps
 * distinct monomials to distinct ones, so nothing merges and the general product below would
 * make these very monomials, in `p`'s order (y × p: the same, y's coefficient on the left).
 */
const productWithMonomial = (p: Polynomial, y: Monomial, yFirst: boolean): Array<Monomial> => {
  const monomials: Array<Monomial> = []
  const ms = p.monomials
  for (let k = 0; k < ms.length; k++) {
    const x = ms[k]!
    const exps = new Array<number>(p.symbols)
    for (let i = 0; i < exps.length; i++) exps[i] = yFirst ? y.exps[i]! + x.exps[i]! : x.exps[i]! + y.exps[i]!
    monomials.push({ coef: yFirst ? y.coef * x.coef : x.coef * y.coef, exps })
  }
  return monomials
}

const onlyTerm = (p: Polynomial): Monomial | undefined => (p.monomials.length === 1 ? p.monomials[0] : undefined)

export const polynomialProduct = (a: Polynomial, b: Polynomial): Polynomial | number => {
  const fa = a.floor
  const fb = b.floor
  const floor = fa !== undefined && fb !== undefined && fa >= 0 && fb >= 0 ? fa * fb : undefined
  const yb = onlyTerm(b)
  const ya = yb === undefined ? onlyTerm(a) : undefined
  if (yb !== undefined || ya !== undefined) {
    const shifted = yb !== undefined ? productWithMonomial(a, yb, false) : productWithMonomial(b, ya!, true)
    return Polynomial.of(shifted, undefined, a.symbols, floor)
  }
  const out = new Gathered()
  const as = a.monomials
  const bs = b.monomials
  for (let i = 0; i < as.length; i++) {
    const x = as[i]!
    for (let j = 0; j < bs.length; j++) {
      const y = bs[j]!
      const exps = new Array<number>(a.symbols)
      for (let k = 0; k < exps.length; k++) exps[k] = x.exps[k]! + y.exps[k]!
      out.add({ coef: x.coef * y.coef, exps }, keyOf(exps))
    }
  }
  return Polynomial.of(out.monomials, out.keys, a.symbols, floor)
}

/** `p / m` for a single monomial `m` (division by a sum is not a polynomial). */
export const polynomialOverMonomial = (p: Polynomial | number, m: Monomial, floor: number | undefined): Polynomial | number => {
  const symbols = m.exps.length
  const out = new Gathered()
  const terms = typeof p === "number" ? (p === 0 ? [] : [{ coef: p, exps: zeroExponents(symbols) }]) : p.monomials
  for (let k = 0; k < terms.length; k++) {
    const t = terms[k]!
    const exps = new Array<number>(symbols)
    for (let i = 0; i < symbols; i++) exps[i] = t.exps[i]! - m.exps[i]!
    out.add({ coef: t.coef / m.coef, exps }, keyOf(exps))
  }
  return Polynomial.of(out.monomials, out.keys, symbols, floor)
}
