/**
 * Sums of monomials in a template's tile symbols (one symbol per loop: its tile shape), the
 * form every action count and occupancy of the analytical model takes for a fixed template
 * (a loop's count is its outer tile over its own, a tensor's tile is a product of tiles).
 * Coefficients may be negative (skipped first accesses are subtracted); exponents are small.
 */

export interface Monomial {
  readonly coef: number
  /** Exponent of each loop's tile. */
  readonly exps: Int8Array
}

export class Polynomial {
  readonly terms = new Map<string, { coef: number; exps: Int8Array }>()
  readonly symbols: number
  constructor(symbols: number) {
    this.symbols = symbols
  }

  static constant(symbols: number, value: number): Polynomial {
    const p = new Polynomial(symbols)
    if (value !== 0) p.addMonomial({ coef: value, exps: new Int8Array(symbols) })
    return p
  }

  static monomial(m: Monomial): Polynomial {
    const p = new Polynomial(m.exps.length)
    p.addMonomial(m)
    return p
  }

  addMonomial(m: Monomial): void {
    if (m.coef === 0) return
    const key = m.exps.join(",")
    const prev = this.terms.get(key)
    if (prev === undefined) this.terms.set(key, { coef: m.coef, exps: m.exps })
    else {
      prev.coef += m.coef
      if (prev.coef === 0) this.terms.delete(key)
    }
  }

  /** this += scale × other */
  add(other: Polynomial, scale = 1): void {
    if (scale === 0) return
    for (const m of other.terms.values()) this.addMonomial({ coef: m.coef * scale, exps: m.exps })
  }

  /** this × scale × monomial, as a new polynomial. */
  times(m: Monomial, scale = 1): Polynomial {
    const out = new Polynomial(this.symbols)
    for (const t of this.terms.values()) {
      const exps = new Int8Array(this.symbols)
      for (let i = 0; i < exps.length; i++) exps[i] = t.exps[i]! + m.exps[i]!
      out.addMonomial({ coef: t.coef * m.coef * scale, exps })
    }
    return out
  }

  /** In place: this ← this × monomial. */
  multiplyBy(m: Monomial): void {
    const next = this.times(m)
    this.terms.clear()
    for (const [k, t] of next.terms) this.terms.set(k, t)
  }

  copy(): Polynomial {
    const out = new Polynomial(this.symbols)
    out.add(this)
    return out
  }

  evaluate(tiles: ArrayLike<number>, offset = 0): number {
    let sum = 0
    for (const t of this.terms.values()) sum += t.coef * monomialValue(t.exps, tiles, offset)
    return sum
  }
}

export const monomialValue = (exps: Int8Array, tiles: ArrayLike<number>, offset = 0): number => {
  let v = 1
  for (let i = 0; i < exps.length; i++) {
    const e = exps[i]!
    if (e !== 0) v *= e === 1 ? tiles[offset + i]! : e === -1 ? 1 / tiles[offset + i]! : Math.pow(tiles[offset + i]!, e)
  }
  return v
}
