/**
 * A mapping's Einsums on the fused tree under an overlap mode (docs/overlapped-latency.md): what
 * each Einsum defers, its busy times on one component order shared by all Einsums, and the
 * timeline (compose/timeline.ts) that gives the latency and what sets it.
 */
import type { WorkloadAnalysis } from "@effect-accelforge/core"
import type { OverlapMode } from "../compose/composition.ts"
import { type EinsumBusy, timeline, type Timeline } from "../compose/timeline.ts"
import { fusedTree } from "../mapping/fused-tree.ts"
import type { OverlapBreakdown } from "../result.ts"
import type { EinsumMetrics } from "./einsum-metrics.ts"

/**
 * The tensors whose landing in their backing holder nothing waits for but the end of the
 * workload, as the search classifies them before any mapping exists: outputs no Einsum reads.
 * None in mode `none`. The model classifies each mapping's writes by the finer rule of §1
 * (`deferrableWrites`: no reader holds the tensor on the level written); the two agree on every
 * mapping whose Einsums hold each tensor they share in one backing memory, as the join's
 * compatibility requires (§7): a reader then holds the tensor on its producer's backing level.
 */
export const deferrableTensors = (workload: WorkloadAnalysis, mode: OverlapMode): ReadonlySet<string> => {
  if (mode === "none") return new Set()
  const read = new Set(workload.einsums.flatMap((e) => e.inputs))
  return new Set(workload.einsums.map((e) => e.output).filter((t) => !read.has(t)))
}

/** Every component any Einsum uses, first-seen order. */
const componentsOf = (metrics: ReadonlyArray<EinsumMetrics>): Array<string> => [...new Set(metrics.flatMap((m) => m.costs.components))]

/** Busy times of each Einsum over the whole workload (n_instances folded in), on the shared component order. */
const busyOf = (m: EinsumMetrics, components: ReadonlyArray<string>): EinsumBusy => {
  const critical = new Float64Array(components.length)
  const busy = new Float64Array(components.length)
  m.costs.components.forEach((name, i) => {
    const c = components.indexOf(name)
    critical[c] = critical[c]! + m.costs.criticalLatency[i]! * m.costs.nInstances
    busy[c] = busy[c]! + m.costs.componentLatency[i]! * m.costs.nInstances
  })
  return { critical, busy }
}

export interface EinsumTimeline {
  readonly timeline: Timeline
  readonly breakdown: OverlapBreakdown
}

/** The Einsums of an analysed mapping (`metrics` in the same order as their analyses) on their fused tree. */
export const einsumTimeline = (metrics: ReadonlyArray<EinsumMetrics>, mode: OverlapMode): EinsumTimeline => {
  const components = componentsOf(metrics)
  const tree = fusedTree(metrics.map((m) => m.analysis), mode)
  const t = timeline(tree, metrics.map((m) => busyOf(m, components)))
  return {
    timeline: t,
    breakdown: {
      mode,
      latency: t.latency,
      criticalPath: t.criticalPath,
      einsums: metrics.map((m, e) => ({ einsum: m.summary.einsum, start: t.spans[e]!.start, end: t.spans[e]!.end })),
      components: components.map((component, c) => ({ component, busy: t.busy[c]! }))
    }
  }
}
