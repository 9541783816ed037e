/**
 * Checking a template's cost terms against the numeric model on a row, both directions: every
 * entry of either side exists on the other (no missing and no extra term) with the same value.
 *
 * An entry is named by its key parts (a component, tensor and action; a level and call; a
 * reservation's level, tensor, depth, backing and persistence). The terms are grouped by key
 * once per template into slots; a numeric row's entries find their slot through a `SlotIndex`
 * (a scan over the terms' distinct keys), so a row costs no joined string and no Map. Entries
 * with the same key are summed in list order on both sides, as the model sums them.
 *
 * The numeric model lists its entries as the symbolic run of the same code does, mostly: when
 * the numeric entry at position i has the key parts of the term at position i, its slot is that
 * term's, which is what the index would find (the key is the term's), so the index is asked only
 * from the first entry whose parts differ. The sums, and so the answer, are the same.
 */
import { type ComponentCalls, type CostTerms, type RawAction, type ReservationEntry, type Value } from "@effect-accelforge/model"
import type { Term } from "./cost-terms.ts"

type Part = string | number | boolean | undefined

/** Key parts equal as a Map's keys are (SameValueZero). */
const samePart = (x: Part, y: Part): boolean => x === y || (x !== x && y !== y)

/**
 * Slots by key parts: up to four parts per key (unused parts are undefined), slot k's parts at
 * 4k..4k+3. Found by a scan: a template's lists have some tens of keys, and the scan makes no
 * Map per key (these run a few times per template, cold).
 */
class SlotIndex {
  private readonly keys: Array<Part> = []
  size = 0

  /** The slot of a key, made at the next free slot when new. */
  slotOf(a: Part, b: Part, c: Part, d: Part): number {
    const slot = this.find(a, b, c, d)
    if (slot >= 0) return slot
    this.keys.push(a, b, c, d)
    return this.size++
  }

  /** The slot of a key, or -1 when no term has it. */
  find(a: Part, b: Part, c: Part, d: Part): number {
    const keys = this.keys
    for (let k = 0; k < this.size; k++) {
      if (samePart(keys[4 * k], a) && samePart(keys[4 * k + 1], b) && samePart(keys[4 * k + 2], c) && samePart(keys[4 * k + 3], d)) return k
    }
    return -1
  }
}

const valueAt = (t: Term, tiles: ArrayLike<number>, offset: number): number => (typeof t === "number" ? t : t.evaluate(tiles, offset))

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))

/** A keyed list of terms grouped once per template: slot k sums `terms` at the positions where `slot` is k, in list order. */
interface KeyedTerms {
  readonly index: SlotIndex
  readonly terms: ReadonlyArray<Term>
  readonly slot: Int32Array
  /** Each term's key parts, by position (for the numeric entry at the same position). */
  readonly parts: ReadonlyArray<Part>
}

/** How one kind of entry names itself (`key` calls `to` with its parts, so no parts array is made per entry). */
type KeyOf<E> = <R>(e: E, to: (a: Part, b: Part, c: Part, d: Part) => R) => R

const keyedTerms = <E>(entries: ReadonlyArray<E>, key: KeyOf<E>, term: (e: E) => Term): KeyedTerms => {
  const index = new SlotIndex()
  const parts: Array<Part> = []
  const slotOf = (a: Part, b: Part, c: Part, d: Part): number => {
    parts.push(a, b, c, d)
    return index.slotOf(a, b, c, d)
  }
  // Indexed, one closure per list (not `Int32Array.from` over an iterator, with one per entry): once per template, cold.
  const slot = new Int32Array(entries.length)
  const terms: Array<Term> = []
  for (let i = 0; i < entries.length; i++) {
    slot[i] = key(entries[i]!, slotOf)
    terms.push(term(entries[i]!))
  }
  return { index, terms, slot, parts }
}

/**
 * Scratch for one `agrees` at a time (sums, listed, values per slot), grown as needed: the
 * check runs a few times per template, mostly cold, where three typed arrays per call cost.
 */
let scratch = new Float64Array(64)

/** `scratch` with room for `slots` slots three times over, zeroed there. */
const scratchFor = (slots: number): Float64Array => {
  if (scratch.length < 3 * slots) scratch = new Float64Array(6 * slots)
  scratch.fill(0, 0, 3 * slots)
  return scratch
}

/**
 * A numeric list agrees with keyed terms: each of its keys is one of the terms' (per key, its
 * entries summed in list order, as the terms are), with an equal value; and each of the terms'
 * keys is in the list, unless `zeroOmitted` (the numeric side leaves out entries that are zero
 * at this row) and the terms' value there is 0.
 */
const agrees = <E>(
  numeric: ReadonlyArray<E>,
  key: KeyOf<E>,
  value: (e: E) => number,
  symbolic: KeyedTerms,
  tiles: ArrayLike<number>,
  offset: number,
  zeroOmitted: boolean
): boolean => {
  // Per slot k: the numeric sum at k, whether the list has the key at size + k, the terms' value at 2 size + k.
  const size = symbolic.index.size
  const work = scratchFor(size)
  const { parts, slot: slotAt } = symbolic
  // The position of the entry being keyed, while the entries before it had their term's parts (else -1).
  let at = 0
  const find = (a: Part, b: Part, c: Part, d: Part): number => {
    if (at >= 0 && at < slotAt.length && samePart(parts[4 * at], a) && samePart(parts[4 * at + 1], b) && samePart(parts[4 * at + 2], c) && samePart(parts[4 * at + 3], d)) {
      return slotAt[at++]!
    }
    at = -1
    return symbolic.index.find(a, b, c, d)
  }
  for (let i = 0; i < numeric.length; i++) {
    const e = numeric[i]!
    const slot = key(e, find)
    if (slot < 0) return false
    work[slot]! += value(e)
    work[size + slot] = 1
  }
  for (let i = 0; i < symbolic.terms.length; i++) work[2 * size + symbolic.slot[i]!]! += valueAt(symbolic.terms[i]!, tiles, offset)
  for (let slot = 0; slot < size; slot++) {
    const want = work[2 * size + slot]!
    if (work[size + slot] === 1 ? !close(work[slot]!, want) : !zeroOmitted || want !== 0) return false
  }
  return true
}

const valueOf = <V>(e: { readonly value: V }): V => e.value
const bitsOf = (r: ReservationEntry): number => r.bits

const actionKeyOf: KeyOf<RawAction<Value>> = (e, to) => to(e.component, e.tensor ?? "", e.action, undefined)

const reservationKeyOf: KeyOf<ReservationEntry<Value>> = (r, to) => to(r.level, r.tensor, r.loopsAbove, (r.backing ? 2 : 0) + (r.persistent ? 1 : 0))

/** One per-unit call count of a component (`kind`: a call, a deferred call, the longest hop path, the busiest link). */
interface CallEntry<V extends Value> {
  readonly level: number
  readonly kind: 0 | 1 | 2 | 3
  readonly action: string | undefined
  readonly value: V
}

const callKeyOf: KeyOf<CallEntry<Value>> = (e, to) => to(e.level, e.kind, e.action, undefined)

const callEntries = <V extends Value>(calls: ReadonlyArray<ComponentCalls<V>>): Array<CallEntry<V>> => {
  const out: Array<CallEntry<V>> = []
  // Indexed, and `forEach` over the maps (no entry pair destructured per call): this runs per sample row, mostly cold.
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i]!
    const level = c.level
    c.calls.forEach((value, action) => out.push({ level, kind: 0, action, value }))
    c.deferred.forEach((value, action) => out.push({ level, kind: 1, action, value }))
    out.push({ level, kind: 2, action: undefined, value: c.maxHops })
    out.push({ level, kind: 3, action: undefined, value: c.maxLinkTraffic })
  }
  return out
}

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
  keyed: keyedTerms(symbolic, reservationKeyOf, (r) => r.bits)
})

export const termsCheck = (symbolic: CostTerms<Term>): TermsCheck => ({
  actionCount: symbolic.actions.length,
  actions: keyedTerms(symbolic.actions, actionKeyOf, valueOf),
  energy: keyedTerms(symbolic.energy, actionKeyOf, valueOf),
  dynamicEnergy: symbolic.dynamicEnergy,
  calls: keyedTerms(callEntries(symbolic.calls), callKeyOf, valueOf),
  reservations: reservationsCheck(symbolic.reservations)
})

/** Whether the keyed terms reproduce the model's numeric cost terms of the row, both directions (see the file's comment). */
export const termsHold = (check: TermsCheck, numeric: CostTerms, tiles: ArrayLike<number>, offset: number): boolean => {
  const reservationsOk = reservationsHold(check.reservations, numeric.reservations, tiles, offset)
  return numeric.actions.length === check.actionCount &&
    agrees(numeric.actions, actionKeyOf, valueOf, check.actions, tiles, offset, false) &&
    agrees(numeric.energy, actionKeyOf, valueOf, check.energy, tiles, offset, true) &&
    close(numeric.dynamicEnergy, valueAt(check.dynamicEnergy, tiles, offset)) &&
    agrees(callEntries(numeric.calls), callKeyOf, valueOf, check.calls, tiles, offset, false) &&
    reservationsOk
}

/** Whether the keyed reservations reproduce the model's numeric ones, both directions. */
export const reservationsHold = (check: ReservationsCheck, numeric: ReadonlyArray<ReservationEntry>, tiles: ArrayLike<number>, offset: number): boolean =>
  numeric.length === check.count && agrees(numeric, reservationKeyOf, bitsOf, check.keyed, tiles, offset, false)
