/**
 * Counters to action counts (model §3): net reads and writes per buffet (skipped first
 * accesses removed), hops per network, ops at the Compute, each times the component's
 * `actions_scale`. Also the per-unit counts (`n_calls`) that latency uses.
 */
import type { EinsumAnalysisResult } from "../analysis/analyze-einsum.ts"
import { F } from "../analysis/buffet-stats.ts"

export interface RawAction {
  readonly component: string
  readonly tensor: string | null
  readonly action: string
  readonly value: number
}

/** Per component: action name → calls on one unit; networks also carry hop extremes. */
export interface ComponentCalls {
  readonly component: string
  readonly level: number
  readonly calls: Map<string, number>
  maxHops: number
  maxLinkTraffic: number
}

export interface ActionCounts {
  readonly actions: ReadonlyArray<RawAction>
  /** Components with any buffet (memories, tolls, networks crossed) and the Compute, in arch order. */
  readonly calls: ReadonlyArray<ComponentCalls>
}

export const countActions = (a: EinsumAnalysisResult): ActionCounts => {
  const nodes = a.pmapping.arch.nodes
  const actions: Array<RawAction> = []
  const calls = new Map<number, ComponentCalls>()
  const callsOf = (level: number): ComponentCalls => {
    let c = calls.get(level)
    if (c === undefined) {
      c = { component: nodes[level]!.name, level, calls: new Map(), maxHops: 0, maxLinkTraffic: 0 }
      calls.set(level, c)
    }
    return c
  }
  const addCalls = (c: ComponentCalls, action: string, n: number) => c.calls.set(action, (c.calls.get(action) ?? 0) + n)

  for (const b of [...a.buffets, ...a.computeBuffets]) {
    for (const h of b.hops) {
      const nc = callsOf(h.level)
      const hops = h.totalHops * h.network.actionsScale
      actions.push({ component: h.network.name, tensor: b.tensor, action: "hop", value: hops })
      addCalls(nc, "hop", hops)
      nc.maxHops = Math.max(nc.maxHops, h.maxHops)
      nc.maxLinkTraffic += h.maxLinkTraffic
    }
    if (b.holder === undefined) continue
    const component = nodes[b.level]!
    const scale = component.actionsScale
    // A distributed buffer's units share its traffic.
    const perUnit = scale / a.distribution.activeUnits(b.level)
    const s = b.stats
    const c = callsOf(b.level)
    actions.push({ component: b.component, tensor: b.tensor, action: "read", value: (s[F.readActions]! - s[F.skippedReadActions]!) * scale })
    addCalls(c, "read", (s[F.maxReadActions]! - s[F.minSkippedReadActions]!) * perUnit)
    if (!b.holder?.toll) {
      actions.push({ component: b.component, tensor: b.tensor, action: "write", value: (s[F.writeActions]! - s[F.skippedWriteActions]!) * scale })
      addCalls(c, "write", (s[F.maxWriteActions]! - s[F.minSkippedWriteActions]!) * perUnit)
    }
  }
  const compute = a.pmapping.compute
  const computeScale = nodes[compute.level]!.actionsScale
  actions.push({ component: compute.component, tensor: null, action: "compute", value: a.compute.totalOps * computeScale })
  addCalls(callsOf(compute.level), "compute", Math.max(0, a.compute.maxLatency) * computeScale)
  return { actions, calls: [...calls.values()].sort((x, y) => x.level - y.level) }
}
