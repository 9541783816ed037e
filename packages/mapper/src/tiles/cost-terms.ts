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
 * A keyed list of terms grouped once per template (the keys are the same on every row): key k
 * sums `terms` at the positions where `slot` is k, in list order (as the numeric side sums).
 */
interface KeyedTerms {
  readonly slotOf: ReadonlyMap<string, number>
  readonly keys: ReadonlyArray<string>
  readonly terms: ReadonlyArray<Term>
  readonly slot: Int32Array
}

const keyedTerms = <T>(entries: ReadonlyArray<T>, key: (e: T) => string, term: (e: T) => Term): KeyedTerms => {
  const slotOf = new Map<string, number>()
  const slot = new Int32Array(entries.length)
  entries.forEach((e, i) => {
    const k = key(e)
    if (!slotOf.has(k)) slotOf.set(k, slotOf.size)
    slot[i] = slotOf.get(k)!
  })
  return { slotOf, keys: [...slotOf.keys()], terms: entries.map(term), slot }
}

/** The keyed terms' values at one row. */
const keyedValues = (keyed: KeyedTerms, tiles: ArrayLike<number>, offset: number): Float64Array => {
  const out = new Float64Array(keyed.keys.length)
  for (let i = 0; i < keyed.terms.length; i++) out[keyed.slot[i]!]! += valueAt(keyed.terms[i]!, tiles, offset)
  return out
}

/**
 * Two keyed lists agree: the same keys on both sides (unless `zeroOmitted`: the numeric side
 * leaves out entries that are zero at this row), and equal values.
 */
const sameEntries = (numeric: ReadonlyMap<string, number>, symbolic: KeyedTerms, values: Float64Array, zeroOmitted: boolean): boolean => {
  for (const [key, v] of numeric) {
    const slot = symbolic.slotOf.get(key)
    if (slot === undefined || !close(v, values[slot]!)) return false
  }
  for (let slot = 0; slot < symbolic.keys.length; slot++) {
    if (numeric.has(symbolic.keys[slot]!)) continue
    if (!zeroOmitted || values[slot] !== 0) return false
  }
  return true
}

const agrees = (numeric: ReadonlyMap<string, number>, symbolic: KeyedTerms, tiles: ArrayLike<number>, offset: number, zeroOmitted: boolean): boolean =>
  sameEntries(numeric, symbolic, keyedValues(symbolic, tiles, offset), zeroOmitted)

const byKey = <T>(entries: ReadonlyArray<T>, key: (e: T) => string, value: (e: T) => number): Map<string, number> => {
  const out = new Map<string, number>()
  for (const e of entries) {
    const k = key(e)
    out.set(k, (out.get(k) ?? 0) + value(e))
  }
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

/** A template's terms keyed once, for checking them on many rows. */
export interface TermsCheck {
  readonly actionCount: number
  readonly actions: KeyedTerms
  readonly energy: KeyedTerms
  readonly dynamicEnergy: Term
  readonly calls: KeyedTerms
  readonly reservations: ReservationsCheck
}

/** Reservations keyed once, for checking them on many rows. */
export interface ReservationsCheck {
  readonly count: number
  readonly keyed: KeyedTerms
}

export const reservationsCheck = (symbolic: ReadonlyArray<ReservationEntry<Term>>): ReservationsCheck => ({
  count: symbolic.length,
  keyed: keyedTerms(symbolic, reservationKey, (r) => r.bits)
})

export const termsCheck = (derived: TemplateTerms): TermsCheck => {
  const symbolic = derived.terms
  return {
    actionCount: symbolic.actions.length,
    actions: keyedTerms(symbolic.actions, actionKey, (e) => e.value),
    energy: keyedTerms(symbolic.energy, actionKey, (e) => e.value),
    dynamicEnergy: symbolic.dynamicEnergy,
    calls: keyedTerms(callEntries(symbolic.calls), (e) => e.key, (e) => e.value),
    reservations: reservationsCheck(symbolic.reservations)
  }
}

/** Whether the keyed terms reproduce the model's numeric cost terms of the row (see `verifyCostTerms`). */
export const termsHold = (check: TermsCheck, numeric: CostTerms, tiles: ArrayLike<number>, offset: number): boolean => {
  const actions = (list: ReadonlyArray<RawAction<number>>) => byKey(list, actionKey, (e) => e.value)
  const reservationsOk = reservationsHold(check.reservations, numeric.reservations, tiles, offset)
  return numeric.actions.length === check.actionCount &&
    agrees(actions(numeric.actions), check.actions, tiles, offset, false) &&
    agrees(actions(numeric.energy), check.energy, tiles, offset, true) &&
    close(numeric.dynamicEnergy, valueAt(check.dynamicEnergy, tiles, offset)) &&
    agrees(byKey(callEntries(numeric.calls), (e) => e.key, (e) => e.value), check.calls, tiles, offset, false) &&
    reservationsOk
}

/** Whether the keyed reservations reproduce the model's numeric ones, both directions. */
export const reservationsHold = (check: ReservationsCheck, numeric: ReadonlyArray<ReservationEntry>, tiles: ArrayLike<number>, offset: number): boolean =>
  numeric.length === check.count && agrees(byKey(numeric, reservationKey, (r) => r.bits), check.keyed, tiles, offset, false)

/**
 * Whether the terms reproduce the numeric model on one row, in both directions: every action
 * count, energy entry, per-unit call count and reservation of either side is on the other with
 * the same value (energy entries that are zero at the row are left out by the numeric model).
 */
export const verifyCostTerms = (derived: TemplateTerms, prepared: PreparedTemplate, tiles: ArrayLike<number>, offset: number): boolean =>
  termsHold(termsCheck(derived), costTermsOf(analyzeEinsum(rowPmapping(prepared, tiles, offset)), prepared.deferrable), tiles, offset)
