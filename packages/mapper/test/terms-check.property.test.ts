/**
 * The per-template shortcuts of the cost-terms check (tiles/terms-check.ts,
 * tiles/verified-cost-terms.ts) change no answer:
 * - a template's sample rows are analysed on one pmapping whose structure the model keeps
 *   (model analysis/analyze-einsum.ts); that analysis equals a fresh one of the row's own
 *   pmapping, entry by entry;
 * - `termsHold` (slots found by key parts) says what the check keyed by joined strings said
 *   (`referenceHold` below), on the model's own numbers and on numbers perturbed to disagree
 *   (a value off, an entry missing, an extra or duplicated entry), so it can say no; and with
 *   a key listed twice on both sides, at other positions, where it must say yes.
 * On random templates of the project's example arches and workloads, random divisor-chain rows.
 */
import { resolve } from "node:path"
import { Effect, Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type LoadedSpec, loadSpec, resolveAll } from "@effect-accelforge/core"
import { actionKey, analyzeEinsum, type ComponentCalls, costTermsOf, type CostTerms, type ReservationEntry, SEQUENTIAL, type Value } from "@effect-accelforge/model"
import { analyzeTemplate, rowPmapping } from "../src/evaluate/evaluate-row.ts"
import { analyzeSymbolically, einsumFacts, einsumTemplates, prepareTemplate, sharedTensors, type Term } from "../src/index.ts"
import { termsCheck, termsHold } from "../src/tiles/terms-check.ts"
import { divisorRow } from "./support/divisor-row.ts"

const REPO = resolve(import.meta.dirname, "../../..")

const specs: ReadonlyArray<[string, string, Record<string, unknown>]> = [
  ["two_level.yaml", "matmul_chain.yaml", { LAYERS: 2 }],
  ["systolic_tpu_like.yaml", "transformer_block.yaml", { TOKENS: 128 }]
]

const templatesOf = async ([arch, workload, variables]: [string, string, Record<string, unknown>]) => {
  const files = [resolve(REPO, "examples/arches", arch), resolve(REPO, "examples/workloads", workload)]
  const loaded = await Effect.runPromise(loadSpec({ files, variables, overrides: [] }))
  const contexts = resolveAll(loaded)
  if (Result.isFailure(contexts)) throw contexts.failure
  const fusable = sharedTensors(loaded.workload.einsums)
  return contexts.success.flatMap((ctx) => einsumTemplates(ctx, einsumFacts(ctx, fusable), loaded.spec.mapper).map((template) => ({ loaded, template })))
}

// The check as it was written before terms-check.ts: every entry keyed by a joined string.
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
const at = (t: Term, row: ArrayLike<number>): number => (typeof t === "number" ? t : t.evaluate(row, 0))
const byKey = <T>(entries: ReadonlyArray<T>, key: (e: T) => string, value: (e: T) => number): Map<string, number> => {
  const out = new Map<string, number>()
  for (const e of entries) out.set(key(e), (out.get(key(e)) ?? 0) + value(e))
  return out
}
const sameEntries = (numeric: Map<string, number>, symbolic: Map<string, number>, zeroOmitted: boolean): boolean =>
  [...numeric].every(([k, v]) => symbolic.has(k) && close(v, symbolic.get(k)!)) &&
  [...symbolic].every(([k, v]) => numeric.has(k) || (zeroOmitted && v === 0))
const callEntries = <V extends Value>(calls: ReadonlyArray<ComponentCalls<V>>) =>
  calls.flatMap((c) => [
    ...[...c.calls].map(([action, value]) => ({ key: `${c.level}\u0000${action}`, value })),
    ...[...c.deferred].map(([action, value]) => ({ key: `${c.level}\u0000deferred ${action}`, value })),
    { key: `${c.level}\u0000max hops`, value: c.maxHops },
    { key: `${c.level}\u0000max link traffic`, value: c.maxLinkTraffic }
  ])
const reservationKey = (r: ReservationEntry<Value>): string => `${r.level}\u0000${r.tensor}\u0000${r.loopsAbove}\u0000${r.backing}\u0000${r.persistent}`
const referenceHold = (symbolic: CostTerms<Term>, numeric: CostTerms, row: ArrayLike<number>): boolean =>
  numeric.actions.length === symbolic.actions.length &&
  sameEntries(byKey(numeric.actions, actionKey, (e) => e.value), byKey(symbolic.actions, actionKey, (e) => at(e.value, row)), false) &&
  sameEntries(byKey(numeric.energy, actionKey, (e) => e.value), byKey(symbolic.energy, actionKey, (e) => at(e.value, row)), true) &&
  close(numeric.dynamicEnergy, at(symbolic.dynamicEnergy, row)) &&
  sameEntries(byKey(callEntries(numeric.calls), (e) => e.key, (e) => e.value), byKey(callEntries(symbolic.calls), (e) => e.key, (e) => at(e.value, row)), false) &&
  numeric.reservations.length === symbolic.reservations.length &&
  sameEntries(byKey(numeric.reservations, reservationKey, (r) => r.bits), byKey(symbolic.reservations, reservationKey, (r) => at(r.bits, row)), false)

const PERTURBATIONS = [
  "none", "action off", "action missing", "energy missing", "energy extra", "call off", "call missing", "reservation off", "reservation twice", "dynamic energy off",
  "reservation twice on both sides"
] as const
type Perturbation = (typeof PERTURBATIONS)[number]

/** The terms as a perturbation changes them (one only: a key listed twice, so the check must sum per key on the terms' side too). */
const symbolicSide = (symbolic: CostTerms<Term>, how: Perturbation): CostTerms<Term> =>
  how === "reservation twice on both sides" ? { ...symbolic, reservations: [...symbolic.reservations, ...symbolic.reservations.slice(0, 1)] } : symbolic

/** `numeric` changed by `how` at entry `k` (modulo the list's length). */
const perturbed = (numeric: CostTerms, how: Perturbation, k: number): CostTerms => {
  const pick = <T>(list: ReadonlyArray<T>): number => (list.length === 0 ? -1 : k % list.length)
  const off = <T extends { readonly value: number }>(list: ReadonlyArray<T>): Array<T> => list.map((e, i) => (i === pick(list) ? { ...e, value: e.value * 1.5 + 1 } : e))
  switch (how) {
    case "none": return numeric
    case "action off": return { ...numeric, actions: off(numeric.actions) }
    case "action missing": return { ...numeric, actions: numeric.actions.filter((_, i) => i !== pick(numeric.actions)) }
    case "energy missing": return { ...numeric, energy: numeric.energy.filter((_, i) => i !== pick(numeric.energy)) }
    case "energy extra": return { ...numeric, energy: [...numeric.energy, { component: "nowhere", tensor: null, action: "read", value: k % 2 }] }
    case "call off": {
      const c = numeric.calls[pick(numeric.calls)]
      if (c === undefined) return numeric
      const calls = new Map([...c.calls].map(([a, v], i) => [a, i === 0 ? v + 1 : v] as const))
      return { ...numeric, calls: numeric.calls.map((x) => (x === c ? { ...c, calls, maxHops: c.calls.size === 0 ? c.maxHops + 1 : c.maxHops } : x)) }
    }
    case "call missing": {
      const c = numeric.calls[pick(numeric.calls)]
      if (c === undefined) return numeric
      // A call that is zero at the row when there is one: only energy entries may be left out when zero.
      const zero = [...c.calls.keys()].find((a) => c.calls.get(a) === 0) ?? [...c.calls.keys()][0]
      const calls = new Map([...c.calls].filter(([a]) => a !== zero))
      return { ...numeric, calls: numeric.calls.map((x) => (x === c ? { ...c, calls } : x)) }
    }
    case "reservation off": return { ...numeric, reservations: numeric.reservations.map((r, i) => (i === pick(numeric.reservations) ? { ...r, bits: r.bits * 2 + 1 } : r)) }
    case "reservation twice": return { ...numeric, reservations: [...numeric.reservations, ...numeric.reservations.slice(0, 1)] }
    case "dynamic energy off": return { ...numeric, dynamicEnergy: numeric.dynamicEnergy * 2 + 1 }
    // The numeric side's copy goes first, the terms' last (symbolicSide): one key twice on each side, at other positions.
    case "reservation twice on both sides": return { ...numeric, reservations: [...numeric.reservations.slice(0, 1), ...numeric.reservations] }
  }
}

describe("the cost-terms check's shortcuts", () => {
  it("a kept structure analyses like a fresh pmapping; the slot-keyed check answers as the string-keyed one", async () => {
    const all = (await Promise.all(specs.map(templatesOf))).flat()
    let disagreeing = 0
    fc.assert(
      fc.property(fc.nat(all.length - 1), fc.array(fc.nat(1000), { minLength: 1, maxLength: 8 }), fc.constantFrom(...PERTURBATIONS), fc.nat(50), (t, picks, how, k) => {
        const { loaded, template } = all[t]!
        const prepared = prepareTemplate(template, loaded, SEQUENTIAL, SEQUENTIAL.columns(loaded.spec.mapper.metrics))
        const analysis = analyzeSymbolically(prepared)
        if (!("terms" in analysis.terms)) return
        const row = divisorRow(template, picks)
        // The symbolic analysis made the template's structure; the row reuses it.
        const kept = costTermsOf(analyzeTemplate(prepared, Array.from(row)), prepared.deferrable)
        const fresh = costTermsOf(analyzeEinsum(rowPmapping(prepared, row, 0)), prepared.deferrable)
        expect(kept).toEqual(fresh)
        const symbolic = symbolicSide(analysis.terms.terms, how)
        const numeric = perturbed(fresh, how, k)
        const want = referenceHold(symbolic, numeric, row)
        expect(termsHold(termsCheck(symbolic), numeric, row, 0), `${how} at ${k}: the string-keyed check says ${want}`).toBe(want)
        if (how === "none" || how === "reservation twice on both sides") expect(want).toBe(true)
        if (!want) disagreeing++
      }),
      { seed: 25, numRuns: 300 }
    )
    // The perturbations reach the check's refusals (most of them disagree).
    expect(disagreeing).toBeGreaterThan(100)
  })
})
