/**
 * A template's cost terms (FFM §3.2: AccelForge's model is symbolic per template): the model's
 * own analysis run once with the template's tile shapes as symbols (model algebra/), so every
 * action count, per-unit call count, dynamic energy and reservation is a polynomial in the
 * tiles, derived by the same code that evaluates a mapping. Where the model takes a step no
 * polynomial can express (a maximum that depends on the row: some Networks, some copies), the
 * terms carry the model's reason and the template's rows are scored numerically.
 *
 * `verifyCostTerms` checks them against the numeric model on a row (terms-check.ts).
 */
import { analyzeEinsum, type ComponentCalls, costTermsOf, type CostTerms, NotPolynomial, Polynomial, type ReservationEntry, type Value } from "@effect-accelforge/model"
import { analyzeTemplate, type PreparedTemplate, rowPmapping } from "../evaluate/evaluate-row.ts"
import { termsCheck, termsHold } from "./terms-check.ts"

/** A cost term: a polynomial in the template's tiles, or a constant. */
export type Term = Polynomial | number

export interface TemplateTerms {
  readonly symbols: number
  /** The model's cost terms with polynomials (one instance). */
  readonly terms: CostTerms<Term>
}

export interface TemplateAnalysis {
  readonly symbols: number
  /** Per loop: whether it uses spatial instances (a copy's spatial loops below its last backing holder do not). */
  readonly usesInstances: ReadonlyArray<boolean>
  /** Reservations as polynomials, or undefined when one of them has none. */
  readonly reservations: ReadonlyArray<ReservationEntry<Term>> | undefined
  /** Every cost term as a polynomial, or the reason one has none. */
  readonly terms: TemplateTerms | { readonly reason: string }
}

const reasonOf = (values: Iterable<Value>): string | undefined => {
  for (const v of values) if (v instanceof NotPolynomial) return v.reason
  return undefined
}

/** Every per-unit call value, in order (a plain list: this runs once per template, mostly cold, where generators cost). */
const callValues = <V extends Value>(calls: ReadonlyArray<ComponentCalls<V>>): Array<V> => {
  const out: Array<V> = []
  for (const c of calls) {
    c.calls.forEach((v) => out.push(v))
    c.deferred.forEach((v) => out.push(v))
    out.push(c.maxHops, c.maxLinkTraffic)
  }
  return out
}

/** The template's analysis with symbols for its tiles. */
export const analyzeSymbolically = (prepared: PreparedTemplate): TemplateAnalysis => {
  const symbols = prepared.template.loopPositions.length
  const tiles = Array.from({ length: symbols }, (_, k): Value => Polynomial.symbol(k, symbols))
  const analysis = analyzeTemplate(prepared, tiles)
  const terms = costTermsOf(analysis, prepared.deferrable)
  const fanoutLoops = new Set(analysis.fanoutLoops.map((l) => l.order))
  const reservationsReason = reasonOf(terms.reservations.map((r) => r.bits))
  const reason = reasonOf([...terms.actions.map((a) => a.value), terms.dynamicEnergy, ...callValues(terms.calls)]) ?? reservationsReason
  return {
    symbols,
    usesInstances: Array.from({ length: symbols }, (_, k) => fanoutLoops.has(k)),
    reservations: reservationsReason === undefined ? (terms.reservations as ReadonlyArray<ReservationEntry<Term>>) : undefined,
    terms: reason === undefined ? { symbols, terms: terms as CostTerms<Term> } : { reason }
  }
}

/**
 * Whether the terms reproduce the numeric model on one row, in both directions: every action
 * count, energy entry, per-unit call count and reservation of either side is on the other with
 * the same value (energy entries that are zero at the row are left out by the numeric model).
 */
export const verifyCostTerms = (derived: TemplateTerms, prepared: PreparedTemplate, tiles: ArrayLike<number>, offset: number): boolean =>
  termsHold(termsCheck(derived.terms), costTermsOf(analyzeEinsum(rowPmapping(prepared, tiles, offset)), prepared.deferrable), tiles, offset)
