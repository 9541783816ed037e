/**
 * Energy (model §4): dynamic energy is action count × the action's energy (scales already
 * applied by core), with zero counts left out; leak energy is every component's total leak
 * power (all its instances) × the Einsum's latency, for every component of the whole arch.
 */
import { type ArchNode, type EinsumContext, EvaluationError, type ResolvedComponent } from "@effect-accelforge/core"
import type { RawAction } from "./actions.ts"
import { fanoutAbove } from "./fanout-above.ts"

const needsModel = (c: ResolvedComponent, what: string): never => {
  throw new EvaluationError({
    path: ["arch", "nodes", c.name],
    reason: `${what} is not given and would need a component model; set it explicitly, or set component_class: Dummy`
  })
}

export const dynamicEnergy = (actions: ReadonlyArray<RawAction>, nodes: ReadonlyArray<ResolvedComponent>): Array<RawAction> => {
  const byName = new Map(nodes.map((c) => [c.name, c] as const))
  const out: Array<RawAction> = []
  for (const a of actions) {
    if (a.value === 0) continue
    const component = byName.get(a.component)!
    const action = component.actions.find((x) => x.name === a.action)
    if (action === undefined) continue
    const energy = action.energy ?? needsModel(component, `the energy of action ${a.action}`)
    out.push({ ...a, value: a.value * energy })
  }
  return out
}

/** Leak power of every instance of a component: its own (scaled) leak × the fanouts above it. */
export const totalLeakPower = (c: ResolvedComponent, above: ReadonlyMap<string, number>): number =>
  (c.leakPower ?? needsModel(c, "leak_power")) * (above.get(c.name) ?? 1)

export const leakEnergy = (ctx: EinsumContext, archNodes: ReadonlyArray<ArchNode>, latency: number): Array<RawAction> => {
  const above = fanoutAbove(archNodes, ctx)
  return ctx.components
    .filter((c) => c.kind !== "Container")
    .map((c) => ({ component: c.name, tensor: null, action: "leak", value: totalLeakPower(c, above) * latency }))
}
