/**
 * Counters to action counts (model §3): net reads and writes per buffet (skipped first
 * accesses removed), hops per network, ops at the Compute, each times the component's
 * `actions_scale`. Also the per-unit counts (`n_calls`) that latency uses.
 */
import { add, div, max, mul, sub, type Value } from "../algebra/value.ts"
import type { EinsumAnalysisResult } from "../analysis/analyze-einsum.ts"
import { F } from "../analysis/buffet-stats.ts"
import type { Buffet } from "../analysis/reuse.ts"

export interface RawAction<V extends Value = number> {
  readonly component: string
  readonly tensor: string | null
  readonly action: string
  readonly value: V
}

/** Per component: action name → calls on one unit; networks also carry hop extremes. */
export interface ComponentCalls<V extends Value = number> {
  readonly component: string
  readonly level: number
  readonly calls: Map<string, V>
  /**
   * The part of `calls` an overlap mode may take off the critical path: writes that land an
   * output in its backing holder when no reader of it reads it from there
   * (docs/overlapped-latency.md §1). Writes at inner buffers stay critical. Empty unless the
   * caller names such outputs.
   */
  readonly deferred: Map<string, V>
  maxHops: V
  maxLinkTraffic: V
}

export interface ActionCounts<V extends Value = number> {
  readonly actions: ReadonlyArray<RawAction<V>>
  /** Components with any buffet (memories, tolls, networks crossed) and the Compute, in arch order. */
  readonly calls: ReadonlyArray<ComponentCalls<V>>
}

// Where the cost terms of a template stop being polynomials (the row decides; see algebra/value.ts).
const LONGEST_HOP = "a Network's longest path is the longest over the tensors crossing it, and which one is longest depends on the tile row"

/** Calls per unit are the component's `actions_scale` shared by its active units (a distributed buffer's units share its traffic). */
const perUnitScale = <V extends Value>(a: EinsumAnalysisResult<V>, b: Buffet<V>): V =>
  div(a.pmapping.arch.nodes[b.level]!.actionsScale as V, a.distribution.activeUnits(b.level))

/** Write calls on one unit of a buffet's component. */
const writeCalls = <V extends Value>(b: Buffet<V>, perUnit: V): V =>
  mul(sub(b.stats[F.maxWriteActions]!, b.stats[F.minSkippedWriteActions]!), perUnit)

const NOTHING_DEFERRED: ReadonlySet<string> = new Set()

/** `deferrable`: the outputs whose landing in their backing holder an overlap mode defers (no reader reads them from there). */
export const countActions = <V extends Value>(a: EinsumAnalysisResult<V>, deferrable: ReadonlySet<string> = NOTHING_DEFERRED): ActionCounts<V> => {
  const nodes = a.pmapping.arch.nodes
  const actions: Array<RawAction<V>> = []
  // By level (the arch's levels are few): read out in level order at the end, with no sort.
  const calls: Array<ComponentCalls<V> | undefined> = new Array(nodes.length)
  const zero = 0 as V
  const callsOf = (level: number): ComponentCalls<V> => {
    let c = calls[level]
    if (c === undefined) {
      c = { component: nodes[level]!.name, level, calls: new Map(), deferred: new Map(), maxHops: zero, maxLinkTraffic: zero }
      calls[level] = c
    }
    return c
  }
  const addCalls = (c: ComponentCalls<V>, action: string, n: V) => c.calls.set(action, add(c.calls.get(action) ?? zero, n))

  // Indexed over both lists (no joined copy): this runs per analysis, mostly cold, where an array iterator costs.
  const holders = a.buffets.length
  for (let i = 0; i < holders + a.computeBuffets.length; i++) {
    const b = i < holders ? a.buffets[i]! : a.computeBuffets[i - holders]!
    for (let k = 0; k < b.hops.length; k++) {
      const h = b.hops[k]!
      const nc = callsOf(h.level)
      const hops = mul(h.totalHops, h.network.actionsScale)
      actions.push({ component: h.network.name, tensor: b.tensor, action: "hop", value: hops })
      addCalls(nc, "hop", hops)
      nc.maxHops = max(nc.maxHops, h.maxHops, LONGEST_HOP)
      nc.maxLinkTraffic = add(nc.maxLinkTraffic, h.maxLinkTraffic)
    }
    if (b.holder === undefined) continue
    const scale = nodes[b.level]!.actionsScale
    const perUnit = perUnitScale(a, b)
    const s = b.stats
    const c = callsOf(b.level)
    actions.push({ component: b.component, tensor: b.tensor, action: "read", value: mul(sub(s[F.readActions]!, s[F.skippedReadActions]!), scale) })
    addCalls(c, "read", mul(sub(s[F.maxReadActions]!, s[F.minSkippedReadActions]!), perUnit))
    if (!b.holder?.toll) {
      actions.push({ component: b.component, tensor: b.tensor, action: "write", value: mul(sub(s[F.writeActions]!, s[F.skippedWriteActions]!), scale) })
      const writes = writeCalls(b, perUnit)
      addCalls(c, "write", writes)
      if (b.holder.backing && deferrable.has(b.tensor)) c.deferred.set("write", add(c.deferred.get("write") ?? zero, writes))
    }
  }
  const compute = a.pmapping.compute
  const computeScale = nodes[compute.level]!.actionsScale
  actions.push({ component: compute.component, tensor: null, action: "compute", value: mul(a.compute.totalOps, computeScale) })
  addCalls(callsOf(compute.level), "compute", mul(max(zero, a.compute.maxLatency, "the compute's steps"), computeScale))
  const inOrder: Array<ComponentCalls<V>> = []
  for (let level = 0; level < calls.length; level++) if (calls[level] !== undefined) inOrder.push(calls[level]!)
  return { actions, calls: inOrder }
}
