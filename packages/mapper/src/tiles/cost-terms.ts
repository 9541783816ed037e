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

/** The reason of the first of `values` that is NotPolynomial, if any. */
const firstReason = <E>(values: ReadonlyArray<E>, valueOf: (e: E) => Value): string | undefined => {
  // Indexed, with no list made: this runs once per template, mostly cold, where an iterator or a spread costs.
  for (let i = 0; i < values.length; i++) {
    const v = valueOf(values[i]!)
    if (v instanceof NotPolynomial) return v.reason
  }
  return undefined
}

/** The reason of the first per-unit call value that is NotPolynomial (calls, deferred calls, longest hop path, busiest link, component by component). */
const callsReason = (calls: ReadonlyArray<ComponentCalls<Value>>): string | undefined => {
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i]!
    for (const v of c.calls.values()) if (v instanceof NotPolynomial) return v.reason
    for (const v of c.deferred.values()) if (v instanceof NotPolynomial) return v.reason
    if (c.maxHops instanceof NotPolynomial) return c.maxHops.reason
    if (c.maxLinkTraffic instanceof NotPolynomial) return c.maxLinkTraffic.reason
  }
  return undefined
}

const bitsOf = (r: ReservationEntry<Value>): Value => r.bits
const valueOf = (a: { readonly value: Value }): Value => a.value

/** The template's analysis with symbols for its tiles. */
export const analyzeSymbolically = (prepared: PreparedTemplate): TemplateAnalysis => {
  const symbols = prepared.template.loopPositions.length
  const tiles: Array<Value> = []
  for (let k = 0; k < symbols; k++) tiles.push(Polynomial.symbol(k, symbols))
  const analysis = analyzeTemplate(prepared, tiles)
  const terms = costTermsOf(analysis, prepared.deferrable)
  const usesInstances: Array<boolean> = []
  for (let k = 0; k < symbols; k++) usesInstances.push(false)
  for (let i = 0; i < analysis.fanoutLoops.length; i++) {
    const order = analysis.fanoutLoops[i]!.order
    if (order < symbols) usesInstances[order] = true
  }
  const reservationsReason = firstReason(terms.reservations, bitsOf)
  const dynamicEnergy = terms.dynamicEnergy
  const reason = firstReason(terms.actions, valueOf) ?? (dynamicEnergy instanceof NotPolynomial ? dynamicEnergy.reason : undefined) ??
    callsReason(terms.calls) ?? reservationsReason
  return {
    symbols,
    usesInstances,
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
