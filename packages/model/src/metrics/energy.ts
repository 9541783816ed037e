/**
 * Energy (model §4): dynamic energy is action count × the action's energy (scales already
 * applied by core), with zero counts left out; leak energy is every component's total leak
 * power (all its instances) × the Einsum's latency, for every component of the whole arch.
 */
import { type ArchNode, type EinsumContext, EvaluationError, type ResolvedComponent } from "@effect-accelforge/core"
import { isZero, mul, NotPolynomial, type Value } from "../algebra/value.ts"
import { actionNamed } from "../analysis/level-facts.ts"
import type { RawAction } from "./actions.ts"
import { fanoutAbove } from "./fanout-above.ts"

const needsModel = (c: ResolvedComponent, what: string): never => {
  throw new EvaluationError({
    path: ["arch", "nodes", c.name],
    reason: `${what} is not given and would need a component model; set it explicitly, or set component_class: Dummy`
  })
}

/**
 * An action's energy when it is not given: an error for a count that is not zero. For a count
 * that is zero only at some tile rows, the rows decide, so it has no polynomial form.
 */
const unknownEnergy = <V extends Value>(component: ResolvedComponent, action: string, count: V): V =>
  typeof count === "number"
    ? needsModel(component, `the energy of action ${action}`)
    : (new NotPolynomial(`the energy of action ${action} of ${component.name} is not given; rows that use it need a component model`) as V)

/** Each arch's components by name, kept with its node list (an analysis per tile row reads one list). */
const componentsByName = new WeakMap<ReadonlyArray<ResolvedComponent>, ReadonlyMap<string, ResolvedComponent>>()

const byNameOf = (nodes: ReadonlyArray<ResolvedComponent>): ReadonlyMap<string, ResolvedComponent> => {
  let byName = componentsByName.get(nodes)
  if (byName === undefined) componentsByName.set(nodes, byName = new Map(nodes.map((c) => [c.name, c] as const)))
  return byName
}

export const dynamicEnergy = <V extends Value>(actions: ReadonlyArray<RawAction<V>>, nodes: ReadonlyArray<ResolvedComponent>): Array<RawAction<V>> => {
  const byName = byNameOf(nodes)
  const out: Array<RawAction<V>> = []
  // Indexed: this runs per analysis, mostly cold, where an array iterator costs.
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!
    if (isZero(a.value) === true) continue
    const component = byName.get(a.component)!
    const action = actionNamed(component, a.action)
    if (action === undefined) continue
    out.push({ ...a, value: action.energy === undefined ? unknownEnergy(component, a.action, a.value) : mul(a.value, action.energy) })
  }
  return out
}

/** Leak power of every instance of a component: its own (scaled) leak × the fanouts above it. */
export const totalLeakPower = (c: ResolvedComponent, above: ReadonlyMap<string, number>): number =>
  (c.leakPower ?? needsModel(c, "leak_power")) * (above.get(c.name) ?? 1)

/** The components that leak (every one of the arch but Containers), in arch order. */
const leaking = (ctx: EinsumContext): Array<ResolvedComponent> => ctx.components.filter((c) => c.kind !== "Container")

/** Total leak power of every leaking component, in arch order (see `leakEnergy`). */
export const leakPowers = (ctx: EinsumContext, archNodes: ReadonlyArray<ArchNode>): Float64Array => {
  const above = fanoutAbove(archNodes, ctx)
  return Float64Array.from(leaking(ctx), (c) => totalLeakPower(c, above))
}

/** Leak energy of every leaking component over `latency`, given its leak powers (`leakPowers`). */
export const leakEnergy = (ctx: EinsumContext, powers: ArrayLike<number>, latency: number): Array<RawAction> =>
  leaking(ctx).map((c, i) => ({ component: c.name, tensor: null, action: "leak", value: powers[i]! * latency }))
