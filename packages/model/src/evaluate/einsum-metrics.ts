/**
 * From one Einsum's analysis to its numbers: action counts, energy, per-component latency,
 * memory and spatial usage, and (through the composition, compose/) its latency and leak.
 * Every summable number is multiplied by the Einsum's `n_instances` here.
 */
import type { ArchNode } from "@effect-accelforge/core"
import type { EinsumAnalysisResult } from "../analysis/analyze-einsum.ts"
import { type EinsumCosts, einsumCosts } from "../compose/einsum-costs.ts"
import { ALL_OBJECTIVES, SEQUENTIAL } from "../compose/sequential.ts"
import { type ComponentCalls, type RawAction } from "../metrics/actions.ts"
import { type CostTerms, costTermsOf } from "../metrics/cost-terms.ts"
import { leakEnergy, leakPowers } from "../metrics/energy.ts"
import { latenciesByLevel, type LatenciesByLevel, type LatencyScope } from "../metrics/latency.ts"
import { offChipBytes } from "../metrics/off-chip.ts"
import { memoryUsage, spatialUsage } from "../metrics/usage.ts"
import type { ActionEntry, EinsumSummary, LatencyEntry, MemoryUsageEntry, SpatialUsageEntry } from "../result.ts"

export interface EinsumMetrics {
  readonly analysis: EinsumAnalysisResult
  readonly summary: EinsumSummary
  /** Its counts, energy per action, calls and reservations, for one instance. */
  readonly terms: CostTerms
  /** What composing it with other Einsums needs (compose/). */
  readonly costs: EinsumCosts
  readonly actions: ReadonlyArray<ActionEntry>
  readonly energy: ReadonlyArray<ActionEntry>
  readonly latency: ReadonlyArray<LatencyEntry>
  readonly memoryUsage: ReadonlyArray<MemoryUsageEntry>
  readonly spatialUsage: ReadonlyArray<SpatialUsageEntry>
}

/** The calls of a component without its deferred ones (none: the same record). */
export const criticalCalls = (calls: ComponentCalls): ComponentCalls => {
  if (calls.deferred.size === 0) return calls
  const kept = new Map(calls.calls)
  for (const [action, n] of calls.deferred) kept.set(action, (kept.get(action) ?? 0) - n)
  return { ...calls, calls: kept }
}

/**
 * An Einsum's cost terms and what composing it needs (`costs`), without the entries of its
 * report: all a search needs to score a row by the model. `powers`: the Einsum's `leakPowers`,
 * when the caller keeps them; `latencies`: the components' latency closures
 * (`latenciesByLevel` of the pmapping's arch and `scope`), when the caller scores many rows.
 * `deferrable` as for `einsumMetrics`.
 */
export const costsOfAnalysis = (
  a: EinsumAnalysisResult,
  archNodes: ReadonlyArray<ArchNode>,
  scope: LatencyScope,
  deferrable: ReadonlySet<string> = new Set(),
  powers?: Float64Array,
  latencyOf: LatenciesByLevel = latenciesByLevel(a.pmapping.arch.nodes, scope)
): { readonly terms: CostTerms; readonly costs: EinsumCosts } => {
  const terms = costTermsOf(a, deferrable)
  const latencies = terms.calls.map((c) => latencyOf(c.level)(c))
  const costs = einsumCosts(a.pmapping.context.einsum.nInstances, terms.calls.map((c) => c.component), powers ?? leakPowers(a.pmapping.context, archNodes))
  costs.dynamicEnergy = terms.dynamicEnergy
  costs.componentLatency.set(latencies)
  if (terms.calls.some((c) => c.deferred.size > 0)) {
    costs.criticalLatency = Float64Array.from(terms.calls, (c, i) => {
      const critical = criticalCalls(c)
      return critical === c ? latencies[i]! : latencyOf(c.level)(critical)
    })
  }
  return { terms, costs }
}

/**
 * `deferrable`: the output tensors whose landing in their backing holder no later work waits
 * for (docs/overlapped-latency.md §1); empty in mode `none`.
 */
export const einsumMetrics = (
  a: EinsumAnalysisResult,
  archNodes: ReadonlyArray<ArchNode>,
  scope: LatencyScope,
  deferrable: ReadonlySet<string> = new Set()
): EinsumMetrics => {
  const einsum = a.pmapping.einsum
  const ctx = a.pmapping.context
  const n = ctx.einsum.nInstances
  const nodes = a.pmapping.arch.nodes
  const { terms, costs } = costsOfAnalysis(a, archNodes, scope, deferrable)
  const powers = costs.leakPower
  const latencies = terms.calls.map((c, i) => ({ component: c.component, value: costs.componentLatency[i]! }))
  const totals = new Float64Array(ALL_OBJECTIVES.length)
  SEQUENTIAL.einsumValues(ALL_OBJECTIVES, costs, totals)
  const total = (name: string) => totals[ALL_OBJECTIVES.findIndex((c) => c.name === name)]!
  const leak = leakEnergy(ctx, powers, SEQUENTIAL.einsumLatency(costs))
  const withEinsum = (e: RawAction): ActionEntry => ({ einsum, ...e, value: e.value * n })
  return {
    summary: {
      einsum,
      compute: a.pmapping.compute.component,
      nInstances: n,
      dynamicEnergy: total("dynamicEnergy"),
      leakEnergy: total("leakEnergy"),
      energy: total("energy"),
      latency: total("latency"),
      offChipBytes: offChipBytes(terms.actions, nodes, ctx) * n
    },
    analysis: a,
    terms,
    costs,
    actions: terms.actions.map(withEinsum),
    energy: [...terms.energy, ...leak].map(withEinsum),
    latency: latencies.map((l) => ({ einsum, component: l.component, value: l.value * n })),
    memoryUsage: memoryUsage(a),
    spatialUsage: spatialUsage(a)
  }
}
