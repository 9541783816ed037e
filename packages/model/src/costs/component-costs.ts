/**
 * Per-component costs as AccelForge's `calculate_component_costs` reports them: area and leak
 * power of one instance (scales and `n_parallel_instances` applied by core), the number of
 * instances (fanouts of the nodes above, not the component's own), their totals, and each
 * action's energy and throughput. The arch is evaluated for one Einsum (the first by default).
 */
import { Result } from "effect"
import { type EinsumContext, EvaluationError, type LoadedSpec, resolveEinsum } from "@effect-accelforge/core"
import { fanoutAbove } from "../metrics/fanout-above.ts"

export interface ActionCost {
  readonly name: string
  /** Joules (or the arch's unit) per action; undefined when a component model would be needed. */
  readonly energy: number | undefined
  readonly throughput: number | undefined
}

export interface ComponentCost {
  readonly name: string
  readonly kind: "Memory" | "Toll" | "Compute" | "Network"
  /** One instance. */
  readonly area: number | undefined
  readonly leakPower: number | undefined
  /** Instances: the product of the fanouts of the nodes above. */
  readonly instances: number
  readonly totalArea: number | undefined
  readonly totalLeakPower: number | undefined
  readonly actions: ReadonlyArray<ActionCost>
}

export interface ComponentCosts {
  /** The Einsum the arch was evaluated for. */
  readonly einsum: string
  readonly components: ReadonlyArray<ComponentCost>
  /** Undefined when some component's area is unknown. */
  readonly totalArea: number | undefined
  readonly totalLeakPower: number | undefined
}

const sumDefined = (values: ReadonlyArray<number | undefined>): number | undefined =>
  values.some((v) => v === undefined) ? undefined : values.reduce<number>((s, v) => s + v!, 0)

/** Costs from an already resolved Einsum context. */
export const costsOf = (loaded: LoadedSpec, ctx: EinsumContext): ComponentCosts => {
  const above = fanoutAbove(loaded.spec.arch.nodes, ctx)
  const components = ctx.components.flatMap((c): Array<ComponentCost> => {
    if (c.kind === "Container") return []
    const instances = above.get(c.name) ?? 1
    return [{
      name: c.name,
      kind: c.kind,
      area: c.area,
      leakPower: c.leakPower,
      instances,
      totalArea: c.area === undefined ? undefined : c.area * instances,
      totalLeakPower: c.leakPower === undefined ? undefined : c.leakPower * instances,
      actions: c.actions.map((a) => ({ name: a.name, energy: a.energy, throughput: a.throughput }))
    }]
  })
  return {
    einsum: ctx.einsum.name,
    components,
    totalArea: sumDefined(components.map((c) => c.totalArea)),
    totalLeakPower: sumDefined(components.map((c) => c.totalLeakPower))
  }
}

/** Component costs with the arch evaluated for `einsum` (default: the workload's first Einsum). */
export const componentCosts = (loaded: LoadedSpec, einsum?: string): Result.Result<ComponentCosts, EvaluationError> => {
  const name = einsum ?? loaded.workload.einsums[0]?.name
  if (name === undefined) {
    return Result.fail(new EvaluationError({ path: ["workload", "einsums"], reason: "the arch is evaluated per Einsum, and the workload has none" }))
  }
  const ctx = resolveEinsum(loaded, name)
  return Result.isFailure(ctx) ? Result.fail(ctx.failure) : Result.succeed(costsOf(loaded, ctx.success))
}
