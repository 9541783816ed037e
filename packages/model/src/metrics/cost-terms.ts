/**
 * Everything the model counts for one Einsum's pmapping before latency and composition:
 * action counts (merged per key), dynamic energy per action, per-unit calls per component
 * (what latency is computed from) and every reservation with its depth in the loop nest.
 * Numbers when evaluating a mapping; polynomials in the tile shapes when the mapper derives a
 * template's cost terms (algebra/value.ts): one function for both, so they cannot differ.
 */
import { add, type Value } from "../algebra/value.ts"
import type { EinsumAnalysisResult } from "../analysis/analyze-einsum.ts"
import { type ComponentCalls, countActions, type RawAction } from "./actions.ts"
import { dynamicEnergy } from "./energy.ts"
import { type ReservationEntry, reservationsOf } from "./usage.ts"

export interface CostTerms<V extends Value = number> {
  /** Action counts of one instance, one entry per (component, tensor, action), first-seen order. */
  readonly actions: ReadonlyArray<RawAction<V>>
  /** Dynamic energy of one instance per action (counts that are zero are left out). */
  readonly energy: ReadonlyArray<RawAction<V>>
  /** Their sum: the dynamic energy of one instance. */
  readonly dynamicEnergy: V
  /** Calls on one unit of every component with traffic and of the Compute, in arch order. */
  readonly calls: ReadonlyArray<ComponentCalls<V>>
  /** Every non-Toll reservation (bits one instance holds) with the loops above it. */
  readonly reservations: ReadonlyArray<ReservationEntry<V>>
}

/** Lists longer than this are merged through a map of joined keys; shorter ones by a scan. */
const SCANNED = 32

/** Whether two entries have the same `actionKey` (a missing tensor is the empty name, as there). */
const sameKey = (a: RawAction<Value>, b: RawAction<Value>): boolean =>
  a.action === b.action && a.component === b.component && (a.tensor ?? "") === (b.tensor ?? "")

/**
 * Merge entries with the same (component, tensor, action), keeping first-seen order. A short
 * list (an Einsum's: some tens of entries) is merged by a scan over the merged entries, with no
 * joined key string and no map per analysis (run per template and sample row, mostly cold, and
 * per row where the mapper scores rows with the model); the same entries, in the same order,
 * summed in the same order as through the map.
 */
export const mergeActions = <V extends Value>(entries: ReadonlyArray<RawAction<V>>): Array<RawAction<V>> => {
  if (entries.length > SCANNED) return mergeByKey(entries)
  const out: Array<RawAction<V>> = []
  // Indexed: this runs per analysis, mostly cold, where an array iterator costs.
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!
    let at = 0
    while (at < out.length && !sameKey(out[at]!, e)) at++
    if (at === out.length) out.push(e)
    else out[at] = { ...out[at]!, value: add(out[at]!.value, e.value) }
  }
  return out
}

const mergeByKey = <V extends Value>(entries: ReadonlyArray<RawAction<V>>): Array<RawAction<V>> => {
  const out = new Map<string, RawAction<V>>()
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!
    const key = actionKey(e)
    const prev = out.get(key)
    out.set(key, prev === undefined ? e : { ...prev, value: add(prev.value, e.value) })
  }
  return [...out.values()]
}

/** The (component, tensor, action) key of an entry. */
export const actionKey = (e: { readonly component: string; readonly tensor: string | null; readonly action: string }): string =>
  `${e.component}\u0000${e.tensor ?? ""}\u0000${e.action}`

/** `deferrable`: outputs whose write-back an overlap mode defers (their calls are also in `calls[].deferred`). */
export const costTermsOf = <V extends Value>(a: EinsumAnalysisResult<V>, deferrable?: ReadonlySet<string>): CostTerms<V> => {
  const counts = countActions(a, deferrable)
  const actions = mergeActions(counts.actions)
  const energy = dynamicEnergy(actions, a.pmapping.arch.nodes)
  return {
    actions,
    energy,
    dynamicEnergy: energy.reduce((s, e) => add(s, e.value), 0 as V),
    calls: counts.calls,
    reservations: reservationsOf(a)
  }
}
