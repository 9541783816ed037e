/**
 * What a level of the flattened arch says about one tensor: bits per value there, values moved
 * per action (model §3), whether a spatial dimension may multicast/reduce it, and the networks
 * a transfer between two levels crosses.
 */
import { type EinsumContext, evaluateSetExpression, EvaluationError, type ResolvedComponent, type ResolvedSpatial } from "@effect-accelforge/core"
import { Result } from "effect"

/** The component's own `bits_per_value` for the tensor, else the workload's. */
export const bitsPerValueAt = (component: ResolvedComponent, ctx: EinsumContext, tensor: string): number =>
  component.bitsPerValue.get(tensor) ?? ctx.bitsPerValue.get(tensor)!

/**
 * The component's first action of that name. A plain scan: this is asked per buffet and action
 * in every analysis (mostly cold code), where `find` made a closure per call.
 */
export const actionNamed = (component: ResolvedComponent, name: string): ResolvedComponent["actions"][number] | undefined => {
  const actions = component.actions
  for (let i = 0; i < actions.length; i++) if (actions[i]!.name === name) return actions[i]
  return undefined
}

/**
 * Values moved per action: the action's `values_per_action`, else the component's, else
 * `bits_per_action / bits_per_value` (bits_per_action defaults to the component's, else 1).
 * Undefined when the component has no such action (a Toll has no `write`).
 */
export const valuesPerAction = (
  component: ResolvedComponent,
  actionName: string,
  ctx: EinsumContext,
  tensor: string
): number | undefined => {
  const action = actionNamed(component, actionName)
  if (action === undefined) return undefined
  return action.valuesPerAction.get(tensor) ??
    component.valuesPerAction.get(tensor) ??
    action.bitsPerAction / bitsPerValueAt(component, ctx, tensor)
}

/** Actions per value moved (0 when the action does not exist, so nothing is counted). */
export const actionsPerValue = (component: ResolvedComponent, actionName: string, ctx: EinsumContext, tensor: string): number => {
  const vpa = valuesPerAction(component, actionName, ctx, tensor)
  return vpa === undefined ? 0 : 1 / vpa
}

/** Whether `tensor` may be multicast (inputs) or spatially reduced (outputs) along `dim`. */
export const mayReuse = (dim: ResolvedSpatial, ctx: EinsumContext, tensor: string, component: string): boolean => {
  if (dim.mayReuse._tag === "Resolved") return dim.mayReuse.set.members.has(tensor)
  const set = evaluateSetExpression(dim.mayReuse.expression, ctx.symbols, "tensor")
  if (Result.isFailure(set)) {
    throw new EvaluationError({ path: ["arch", "nodes", component, "spatial", dim.name, "may_reuse"], reason: set.failure.reason })
  }
  return set.success.members.has(tensor)
}

/** Levels of the Network components strictly between `above` and `below` in the flattened arch. */
export const networksBetween = (nodes: ReadonlyArray<ResolvedComponent>, above: number, below: number): ReadonlyArray<number> => {
  const out: Array<number> = []
  for (let i = above + 1; i < below; i++) if (nodes[i]!.kind === "Network") out.push(i)
  return out
}
