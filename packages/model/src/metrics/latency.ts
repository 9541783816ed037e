/**
 * Per-component latency (model §5): the component's `total_latency` expression (or the
 * default) evaluated with its actions carrying `n_calls`, the per-unit counts of this Einsum.
 * The Einsum's latency is the slowest component, since compute and memories overlap.
 */
import { Result } from "effect"
import {
  evaluateExpression,
  EvaluationError,
  layeredScope,
  type ResolvedComponent,
  scopeFromRecord
} from "@effect-accelforge/core"
import type { ComponentCalls } from "./actions.ts"
import { compileLatency, INTERPRET, type LatencyInputs } from "./compiled-latency.ts"

const DEFAULT_LATENCY = "sum(a.n_calls / a.throughput for a in actions)"
const DEFAULT_NETWORK_LATENCY = "max(max_hops * actions['hop'].latency, max_link_traffic / actions['hop'].throughput)"

export interface LatencyScope {
  /** Spec variables (they win over arch variables here, as in AccelForge). */
  readonly variables: Readonly<Record<string, unknown>>
  readonly archVariables: Readonly<Record<string, unknown>>
}

/** What `total_latency` sees of the component: its fields, extras and actions with `n_calls`. */
const componentView = (c: ResolvedComponent, calls: ComponentCalls): Record<string, unknown> => ({
  ...c.extra,
  name: c.name,
  ...(c.size === undefined ? {} : { size: c.size }),
  ...(c.area === undefined ? {} : { area: c.area }),
  ...(c.leakPower === undefined ? {} : { leak_power: c.leakPower }),
  n_parallel_instances: c.nParallelInstances,
  actions_scale: c.actionsScale,
  ...(c.bitsPerAction === undefined ? {} : { bits_per_action: c.bitsPerAction }),
  spatial: c.spatial.map((s) => ({ name: s.name, fanout: s.fanout })),
  actions: c.actions.map((a) => ({
    ...a.extra,
    name: a.name,
    n_calls: calls.calls.get(a.name) ?? 0,
    energy: a.energy ?? null,
    throughput: a.throughput ?? null,
    // Networks read `latency`; when only a throughput was given, use its inverse.
    latency: a.latency ?? (a.throughput === undefined ? null : a.throughput === 0 ? Infinity : 1 / a.throughput),
    bits_per_action: a.bitsPerAction
  })),
  ...(c.kind === "Network" ? { max_hops: calls.maxHops, max_link_traffic: calls.maxLinkTraffic } : {})
})

/** A component's latency over per-action call counts (`actions[i]` names `nCalls[i]`). */
export interface ActionLatency {
  readonly actions: ReadonlyArray<string>
  readonly latency: (inputs: LatencyInputs) => number
}

/**
 * `componentLatency` for many rows of one component (the mapper scores millions): the view and
 * scope are built once, the expression is compiled once to a closure when it is in the
 * compiled forms (compiled-latency.ts), and otherwise interpreted with only the calls in the
 * view changing.
 */
export const latencyOfActions = (c: ResolvedComponent, scope: LatencyScope): ActionLatency => {
  const known = built.get(c) ?? []
  for (const b of known) if (b.variables === scope.variables && b.archVariables === scope.archVariables) return b.latency
  const latency = buildLatency(c, scope)
  // A few scopes per component at most (the spec's variables and the Einsum's arch variables): older ones give way.
  built.set(c, [{ variables: scope.variables, archVariables: scope.archVariables, latency }, ...known.slice(0, BUILT_PER_COMPONENT - 1)])
  return latency
}

/**
 * Built once per component (a resolved component belongs to one Einsum) and scope: every
 * template of an Einsum scores with the same closures, and the model's own per-mapping
 * evaluation asked for them per component and mapping. A closure keeps no state between calls
 * (its view's counts are refilled from each call's inputs), so sharing it changes no number.
 */
const built = new WeakMap<ResolvedComponent, ReadonlyArray<{ readonly variables: object; readonly archVariables: object; readonly latency: ActionLatency }>>()
const BUILT_PER_COMPONENT = 4

/**
 * A latency that is nan is refused: the Pareto front and the score bounds compare latencies and
 * assume every one is a number (a nan compares false both ways, so it would be neither pruned
 * nor dominated), and a nan printed as the answer is no answer. The counts are in the message
 * because the expression gives nan only for some of them.
 */
const notANumber = (path: ReadonlyArray<string>, expression: string, actions: ReadonlyArray<string>, inputs: LatencyInputs): never => {
  const counts = actions.map((a, i) => `${a}=${inputs.nCalls[i]}`).join(", ")
  throw new EvaluationError({
    path: [...path],
    reason: `${expression} gives nan (not a number) for n_calls ${counts || "(no actions)"}; it must give a number, the component's latency`
  })
}

const buildLatency = (c: ResolvedComponent, scope: LatencyScope): ActionLatency => {
  const names = c.actions.map((a) => a.name)
  const expression = c.totalLatency ?? (c.kind === "Network" ? DEFAULT_NETWORK_LATENCY : DEFAULT_LATENCY)
  const path = ["arch", "nodes", c.name, "total_latency"]
  // A number was range-checked when the component was resolved.
  if (typeof expression === "number") return { actions: names, latency: () => expression }
  const view = componentView(c, { component: c.name, level: -1, calls: new Map(), deferred: new Map(), maxHops: 0, maxLinkTraffic: 0 })
  const actions = view.actions as Array<Record<string, unknown>>
  const layered = layeredScope(
    scopeFromRecord(view),
    scopeFromRecord(scope.variables),
    scopeFromRecord(scope.archVariables),
    scopeFromRecord({ variables: { ...scope.archVariables, ...scope.variables }, arch_variables: scope.archVariables })
  )
  const interpreted = (inputs: LatencyInputs): number => {
    actions.forEach((a, i) => (a.n_calls = inputs.nCalls[i]!))
    if (c.kind === "Network") {
      view.max_hops = inputs.maxHops
      view.max_link_traffic = inputs.maxLinkTraffic
    }
    const result = evaluateExpression(expression, layered)
    if (Result.isFailure(result)) {
      const missing = c.needsComponentModel ? " (this component has actions without a throughput: give them, or use a component model)" : ""
      throw new EvaluationError({ path, reason: `${expression}: ${result.failure.reason}${missing}` })
    }
    const value = result.success
    if (typeof value !== "number") throw new EvaluationError({ path, reason: `${expression} must give a number, got ${JSON.stringify(value)}` })
    return Number.isNaN(value) ? notANumber(path, expression, names, inputs) : value
  }
  const compiled = compileLatency(expression, layered, actions, c.kind === "Network")
  if (compiled === undefined) return { actions: names, latency: interpreted }
  return {
    actions: names,
    latency: (inputs) => {
      let value: number
      try {
        value = compiled(inputs)
      } catch (e) {
        if (e === INTERPRET) return interpreted(inputs)
        throw e
      }
      // The compiled arithmetic gives nan where the interpreter's does (inf - inf, 0 * inf, a nan variable).
      return value !== value ? notANumber(path, expression, names, inputs) : value
    }
  }
}

/** `latencyOfActions` for call records (calls of actions the component does not have are ignored, as in the view). */
export const latencyOfCalls = (c: ResolvedComponent, scope: LatencyScope): (calls: ComponentCalls) => number => {
  const { actions, latency } = latencyOfActions(c, scope)
  const inputs: LatencyInputs = { nCalls: new Float64Array(actions.length), maxHops: 0, maxLinkTraffic: 0 }
  return (calls) => {
    for (let i = 0; i < actions.length; i++) inputs.nCalls[i] = calls.calls.get(actions[i]!) ?? 0
    inputs.maxHops = calls.maxHops
    inputs.maxLinkTraffic = calls.maxLinkTraffic
    return latency(inputs)
  }
}

export const componentLatency = (c: ResolvedComponent, calls: ComponentCalls, scope: LatencyScope): number => latencyOfCalls(c, scope)(calls)

/** Each level's `latencyOfCalls`, by its level in the arch's nodes. */
export type LatenciesByLevel = (level: number) => (calls: ComponentCalls) => number

/**
 * `latencyOfCalls` of each level, made on first use and kept: a caller that scores many rows
 * of one pmapping's structure (the mapper's rows of a template) makes them once, not per row.
 */
export const latenciesByLevel = (nodes: ReadonlyArray<ResolvedComponent>, scope: LatencyScope): LatenciesByLevel => {
  const made: Array<((calls: ComponentCalls) => number) | undefined> = []
  return (level) => made[level] ?? (made[level] = latencyOfCalls(nodes[level]!, scope))
}
