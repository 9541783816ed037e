/**
 * What `effect-accelforge check` reports: the workload's Einsums and tensors, and the arch
 * evaluated for every Einsum. Plain data (JSON-ready); the CLI renders it.
 */
import * as Result from "effect/Result"
import type { EvaluationError } from "../errors.ts"
import { resolveAll, resolveArchAlone } from "../resolve/resolve-einsum.ts"
import type { EinsumContext } from "../resolve/einsum-context.ts"
import type { ResolvedComponent } from "../resolve/resolved.ts"
import type { LoadedSpec } from "../spec/loaded-spec.ts"

export interface EinsumSummary {
  readonly name: string
  readonly inputs: ReadonlyArray<string>
  readonly output: string
  readonly rankVariables: ReadonlyArray<{ readonly name: string; readonly bound: number }>
  /** Computes (zero for a copy Einsum), times n_instances. */
  readonly ops: number
  readonly isCopyOperation: boolean
  readonly nInstances: number
  /** Compute units whose `enabled` is true for this Einsum. */
  readonly computeUnits: ReadonlyArray<string>
}

export interface TensorSummary {
  readonly name: string
  readonly ranks: ReadonlyArray<{ readonly rank: string; readonly extent: number }>
  readonly values: number
  readonly bitsPerValue: number
  readonly bits: number
  readonly writtenBy: ReadonlyArray<string>
  readonly readBy: ReadonlyArray<string>
  readonly persistent: boolean
  /** Intermediate: written by one Einsum and read by another. */
  readonly intermediate: boolean
}

export interface ActionSummary {
  readonly name: string
  readonly energy: number | null
  readonly throughput: number | null
}

/** One arch node as one Einsum sees it. */
export interface NodeView {
  readonly size: number | null
  readonly fanout: number
  readonly spatial: ReadonlyArray<{ readonly name: string; readonly fanout: number }>
  readonly area: number | null
  readonly leakPower: number | null
  readonly actions: ReadonlyArray<ActionSummary>
  readonly enabled: boolean | string
}

export interface NodeSummary extends NodeView {
  readonly name: string
  readonly kind: string
  readonly componentClass: string | null
  readonly needsComponentModel: boolean
  /** Einsums for which this node's evaluated values differ from the ones shown, with theirs. */
  readonly variesByEinsum: ReadonlyArray<{ readonly einsum: string; readonly view: NodeView }>
}

export interface CheckSummary {
  readonly files: ReadonlyArray<string>
  readonly einsums: ReadonlyArray<EinsumSummary>
  readonly tensors: ReadonlyArray<TensorSummary>
  /** Outer to inner, in written order. */
  readonly arch: ReadonlyArray<NodeSummary>
  readonly totalOps: number
}

const orNull = (n: number | undefined): number | null => (n === undefined ? null : n)

const viewOf = (c: ResolvedComponent): NodeView => ({
  size: orNull(c.size),
  fanout: c.spatial.reduce((p, s) => p * s.fanout, 1),
  spatial: c.spatial.map((s) => ({ name: s.name, fanout: s.fanout })),
  area: orNull(c.area),
  leakPower: orNull(c.leakPower),
  actions: c.actions.map((a) => ({ name: a.name, energy: orNull(a.energy), throughput: orNull(a.throughput) })),
  enabled: c.enabled
})

const sameView = (a: NodeView, b: NodeView): boolean => JSON.stringify(a) === JSON.stringify(b)

const einsumSummary = (context: EinsumContext): EinsumSummary => {
  const e = context.einsum
  return {
    name: e.name,
    inputs: e.inputs,
    output: e.output,
    rankVariables: e.rankVariables.map((r) => ({ name: r.variable, bound: r.bound })),
    ops: (e.isCopyOperation ? 0 : e.opCount) * e.nInstances,
    isCopyOperation: e.isCopyOperation,
    nInstances: e.nInstances,
    computeUnits: context.computePaths.filter((p) => p.enabled).map((p) => p.compute)
  }
}

const tensorSummaries = (loaded: LoadedSpec, contexts: ReadonlyArray<EinsumContext>): ReadonlyArray<TensorSummary> => {
  // One pass over the Einsums (a search per tensor would be quadratic in the workload).
  const bitsOf = new Map<string, number>()
  const persistent = new Set<string>()
  for (const c of contexts) {
    for (const [tensor, bits] of c.bitsPerValue) if (!bitsOf.has(tensor)) bitsOf.set(tensor, bits)
    for (const tensor of c.persistentTensors) persistent.add(tensor)
  }
  return loaded.workload.tensors.map((t) => {
    const bitsPerValue = bitsOf.get(t.name) ?? 0
    return {
      name: t.name,
      ranks: t.shape.map((s) => ({ rank: s.rank, extent: s.extent })),
      values: t.size,
      bitsPerValue,
      bits: t.size * bitsPerValue,
      writtenBy: t.writtenBy,
      readBy: t.readBy,
      persistent: persistent.has(t.name),
      intermediate: t.writtenBy.length > 0 && t.readBy.length > 0
    }
  })
}

const archSummary = (components: ReadonlyArray<ResolvedComponent>, contexts: ReadonlyArray<EinsumContext>): ReadonlyArray<NodeSummary> =>
  components.map((c, i) => {
    const view = viewOf(c)
    const varies = contexts.slice(1).flatMap((ctx) => {
      const other = viewOf(ctx.components[i]!)
      return sameView(view, other) ? [] : [{ einsum: ctx.einsum.name, view: other }]
    })
    return {
      name: c.name,
      kind: c.kind,
      componentClass: c.componentClass ?? null,
      needsComponentModel: c.needsComponentModel,
      ...view,
      variesByEinsum: varies
    }
  })

/** Resolve every Einsum and summarise the spec. */
export const summarizeSpec = (loaded: LoadedSpec): Result.Result<CheckSummary, EvaluationError> =>
  Result.flatMap(resolveAll(loaded), (contexts) => {
    const einsums = contexts.map(einsumSummary)
    const components = contexts[0] !== undefined
      ? Result.succeed(contexts[0].components)
      : Result.map(resolveArchAlone(loaded), (arch) => arch.components)
    return Result.map(components, (first) => ({
      files: loaded.document.files,
      einsums,
      tensors: tensorSummaries(loaded, contexts),
      arch: archSummary(first, contexts),
      totalOps: einsums.reduce((s, e) => s + e.ops, 0)
    }))
  })
