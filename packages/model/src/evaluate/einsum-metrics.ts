/**
 * From one Einsum's analysis to its numbers: action counts, energy, per-component latency,
 * leak, memory and spatial usage. Every summable number is multiplied by the Einsum's
 * `n_instances` here.
 */
import type { ArchNode } from "@effect-accelforge/core"
import type { EinsumAnalysisResult } from "../analysis/analyze-einsum.ts"
import { countActions, type RawAction } from "../metrics/actions.ts"
import { dynamicEnergy, leakEnergy } from "../metrics/energy.ts"
import { componentLatency, type LatencyScope } from "../metrics/latency.ts"
import { offChipBytes } from "../metrics/off-chip.ts"
import { memoryUsage, spatialUsage } from "../metrics/usage.ts"
import type { ActionEntry, EinsumSummary, LatencyEntry, MemoryUsageEntry, SpatialUsageEntry } from "../result.ts"

export interface EinsumMetrics {
  readonly summary: EinsumSummary
  readonly actions: ReadonlyArray<ActionEntry>
  readonly energy: ReadonlyArray<ActionEntry>
  readonly latency: ReadonlyArray<LatencyEntry>
  readonly memoryUsage: ReadonlyArray<MemoryUsageEntry>
  readonly spatialUsage: ReadonlyArray<SpatialUsageEntry>
}

/** Merge entries with the same (component, tensor, action), keeping first-seen order. */
const merged = (entries: ReadonlyArray<RawAction>): Array<RawAction> => {
  const out = new Map<string, RawAction>()
  for (const e of entries) {
    const key = `${e.component}\u0000${e.tensor ?? ""}\u0000${e.action}`
    const prev = out.get(key)
    out.set(key, prev === undefined ? e : { ...prev, value: prev.value + e.value })
  }
  return [...out.values()]
}

const sum = (entries: ReadonlyArray<RawAction>): number => entries.reduce((s, e) => s + e.value, 0)

export const einsumMetrics = (a: EinsumAnalysisResult, archNodes: ReadonlyArray<ArchNode>, scope: LatencyScope): EinsumMetrics => {
  const einsum = a.pmapping.einsum
  const ctx = a.pmapping.context
  const n = ctx.einsum.nInstances
  const nodes = a.pmapping.arch.nodes
  const counts = countActions(a)
  const actions = merged(counts.actions)
  const latencies = counts.calls.map((c) => ({ component: c.component, value: componentLatency(nodes[c.level]!, c, scope) }))
  const latency = latencies.reduce((m, l) => Math.max(m, l.value), 0)
  const dynamic = dynamicEnergy(actions, nodes)
  const leak = leakEnergy(ctx, archNodes, latency)
  const withEinsum = (e: RawAction): ActionEntry => ({ einsum, ...e, value: e.value * n })
  return {
    summary: {
      einsum,
      compute: a.pmapping.compute.component,
      nInstances: n,
      dynamicEnergy: sum(dynamic) * n,
      leakEnergy: sum(leak) * n,
      energy: (sum(dynamic) + sum(leak)) * n,
      latency: latency * n,
      offChipBytes: offChipBytes(actions, nodes, ctx) * n
    },
    actions: actions.map(withEinsum),
    energy: [...dynamic, ...leak].map(withEinsum),
    latency: latencies.map((l) => ({ einsum, component: l.component, value: l.value * n })),
    memoryUsage: memoryUsage(a),
    spatialUsage: spatialUsage(a)
  }
}
