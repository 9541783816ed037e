/**
 * A template's cost terms (FFM §3.2: AccelForge's model is symbolic per template): the model's
 * own analysis run once with the template's tile shapes as symbols (model algebra/), so every
 * action count, per-unit call count, dynamic energy and reservation is a polynomial in the
 * tiles, derived by the same code that evaluates a mapping. Where the model takes a step no
 * polynomial can express (a maximum that depends on the row: some Networks, some copies), the
 * terms carry the model's reason and the template's rows are scored numerically.
 *
 * `verifyCostTerms` checks both directions against the numeric model on a row: every entry of
 * either side exists on the other (no missing and no extra term) with the same value.
 */
import {
  actionKey,
  analyzeEinsum,
  type ComponentCalls,
  costTermsOf,
  type CostTerms,
  NotPolynomial,
  Polynomial,
  type RawAction,
  type ReservationEntry,
  type Value
} from "@effect-accelforge/model"
import { analyzeTemplate, type PreparedTemplate, rowPmapping } from "../evaluate/evaluate-row.ts"

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

function* callValues<V extends Value>(calls: ReadonlyArray<ComponentCalls<V>>): Generator<V> {
  for (const c of calls) {
    yield* c.calls.values()
    yield* c.deferred.values()
    yield c.maxHops
    yield c.maxLinkTraffic
  }
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

const valueAt = (t: Term, tiles: ArrayLike<number>, offset: number): number => (typeof t === "number" ? t : t.evaluate(tiles, offset))

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))

/**
 * Two keyed lists agree: the same keys on both sides (unless `zeroOmitted`: the numeric side
 * leaves out entries that are zero at this row), and equal values.
 */
const sameEntries = (
  numeric: ReadonlyMap<string, number>,
  symbolic: ReadonlyMap<string, number>,
  zeroOmitted: boolean
): boolean => {
  for (const [key, v] of numeric) if (!symbolic.has(key) || !close(v, symbolic.get(key)!)) return false
  for (const [key, v] of symbolic) {
    if (numeric.has(key)) continue
    if (!zeroOmitted || v !== 0) return false
  }
  return true
}

const byKey = <T>(entries: ReadonlyArray<T>, key: (e: T) => string, value: (e: T) => number): Map<string, number> => {
  const out = new Map<string, number>()
  for (const e of entries) out.set(key(e), (out.get(key(e)) ?? 0) + value(e))
  return out
}

const callEntries = <V extends Value>(calls: ReadonlyArray<ComponentCalls<V>>): Array<{ key: string; value: V }> =>
  calls.flatMap((c) => [
    ...[...c.calls].map(([action, value]) => ({ key: `${c.level}\u0000${action}`, value })),
    ...[...c.deferred].map(([action, value]) => ({ key: `${c.level}\u0000deferred ${action}`, value })),
    { key: `${c.level}\u0000max hops`, value: c.maxHops },
    { key: `${c.level}\u0000max link traffic`, value: c.maxLinkTraffic }
  ])

const reservationKey = (r: ReservationEntry<Value>): string => `${r.level}\u0000${r.tensor}\u0000${r.loopsAbove}\u0000${r.backing}\u0000${r.persistent}`

/**
 * Whether the terms reproduce the numeric model on one row, in both directions: every action
 * count, energy entry, per-unit call count and reservation of either side is on the other with
 * the same value (energy entries that are zero at the row are left out by the numeric model).
 */
export const verifyCostTerms = (derived: TemplateTerms, prepared: PreparedTemplate, tiles: ArrayLike<number>, offset: number): boolean => {
  const numeric = costTermsOf(analyzeEinsum(rowPmapping(prepared, tiles, offset)), prepared.deferrable)
  const symbolic = derived.terms
  const at = (t: Term) => valueAt(t, tiles, offset)
  const actions = (list: ReadonlyArray<RawAction<number>>) => byKey(list, actionKey, (e) => e.value)
  const symbolicActions = (list: ReadonlyArray<RawAction<Term>>) => byKey(list, actionKey, (e) => at(e.value))
  const reservationsOk = verifyReservations(symbolic.reservations, numeric.reservations, tiles, offset)
  return numeric.actions.length === symbolic.actions.length &&
    sameEntries(actions(numeric.actions), symbolicActions(symbolic.actions), false) &&
    sameEntries(actions(numeric.energy), symbolicActions(symbolic.energy), true) &&
    close(numeric.dynamicEnergy, at(symbolic.dynamicEnergy)) &&
    sameEntries(
      byKey(callEntries(numeric.calls), (e) => e.key, (e) => e.value),
      byKey(callEntries(symbolic.calls), (e) => e.key, (e) => at(e.value)),
      false
    ) &&
    reservationsOk
}

/** The reservations, both directions (see `verifyCostTerms`). */
export const verifyReservations = (
  symbolic: ReadonlyArray<ReservationEntry<Term>>,
  numeric: ReadonlyArray<ReservationEntry>,
  tiles: ArrayLike<number>,
  offset: number
): boolean =>
  numeric.length === symbolic.length &&
  sameEntries(byKey(numeric, reservationKey, (r) => r.bits), byKey(symbolic, reservationKey, (r) => valueAt(r.bits, tiles, offset)), false)
