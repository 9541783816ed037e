/**
 * One arch leaf evaluated for one Einsum (AccelForge §2.2-2.8, §5.4): extra attributes first,
 * then `enabled`, then the numeric fields in dependency order, then the set-keyed dicts,
 * spatial fanouts, actions and the `tensors` block. Costs get their scales applied here.
 */
import * as Result from "effect/Result"
import { evaluateSetKeyedDict } from "../sets/index.ts"
import type { SymbolTable } from "../sets/index.ts"
import { textOf } from "../loader/raw.ts"
import type { Action, ArchLeaf, Comparison, Spatial, Tensors } from "../spec/arch.ts"
import { dependencyOrder } from "./dependency-order.ts"
import { catchEvaluation, fail, type Path } from "./fail.ts"
import { COUNT, NON_NEGATIVE, NON_NEGATIVE_OR_INF, type NumberRange, POSITIVE, POSITIVE_OR_INF } from "../spec/number-range.ts"
import {
  evaluateBoolean,
  evaluateField,
  evaluateInRange,
  evaluateNumber,
  evaluateSetField,
  inRange,
  optionalInRange
} from "./evaluate-field.ts"
import type {
  ResolvedAction,
  ResolvedComparison,
  ResolvedComponent,
  ResolvedSpatial,
  ResolvedTensors
} from "./resolved.ts"
import { extendScope, type Scope } from "./scope.ts"

const DEFAULT_ACTIONS: Record<string, ReadonlyArray<string>> = {
  Memory: ["read", "write"],
  Toll: ["read"],
  Compute: ["compute"],
  Network: ["hop"],
  Container: []
}

/** Numeric component fields, evaluated in dependency order, and the values each may take. */
const FIELD_RANGES = {
  area: NON_NEGATIVE,
  leak_power: NON_NEGATIVE,
  area_scale: NON_NEGATIVE,
  leak_power_scale: NON_NEGATIVE,
  energy_scale: NON_NEGATIVE,
  throughput_scale: POSITIVE_OR_INF,
  actions_scale: NON_NEGATIVE,
  n_parallel_instances: POSITIVE,
  size: NON_NEGATIVE_OR_INF,
  bits_per_action: POSITIVE
} as const satisfies Record<string, NumberRange>
const NUMERIC_FIELDS = Object.keys(FIELD_RANGES) as ReadonlyArray<keyof typeof FIELD_RANGES>

const isDummy = (componentClass: string | undefined): boolean => componentClass?.toLowerCase() === "dummy"

const comparisons = (
  list: ReadonlyArray<Comparison>,
  scope: Scope,
  symbols: SymbolTable,
  path: Path
): ReadonlyArray<ResolvedComparison> =>
  list.map((c, i) => ({
    expression: evaluateSetField(c.expression, symbols, "rankVariable", "Nothing"),
    operator: c.operator,
    value: evaluateNumber(c.value, scope, [...path, String(i), "value"])
  }))

const setKeyedDict = (raw: Readonly<Record<string, unknown>>, scope: Scope, symbols: SymbolTable, path: Path) => {
  const entries = Object.entries(raw)
  if (entries.length === 0) return new Map<string, number>()
  const result = evaluateSetKeyedDict(entries, symbols, (value) => {
    const v = evaluateNumber(value, scope, path)
    return Result.succeed(v)
  })
  if (Result.isFailure(result)) return fail(path, result.failure.reason)
  return result.success
}

const evaluateSpatial = (s: Spatial, scope: Scope, symbols: SymbolTable, path: Path): ResolvedSpatial => {
  const reuse = evaluateSetField(s.reuse, symbols, "tensor", "Nothing")
  const mayReuse = s.may_reuse !== undefined
    ? evaluateSetField(s.may_reuse, symbols, "tensor", "All")
    : s.reuse !== undefined
    ? reuse
    : evaluateSetField(undefined, symbols, "tensor", "All")
  return {
    name: s.name,
    fanout: evaluateInRange(s.fanout, scope, [...path, "fanout"], COUNT),
    reuse,
    mayReuse,
    loopBounds: comparisons(s.loop_bounds, scope, symbols, [...path, "loop_bounds"]),
    minUsage: evaluateNumber(s.min_usage, scope, [...path, "min_usage"]),
    usageScale: evaluateNumber(s.usage_scale, scope, [...path, "usage_scale"]),
    powerGateable: evaluateBoolean(s.power_gateable, scope, [...path, "power_gateable"])
  }
}

/** Actions as written, plus the kind's default actions that are missing (fresh copies). */
const withDefaultActions = (kind: string, actions: ReadonlyArray<Action> | undefined): ReadonlyArray<Action> => {
  if (kind === "Network" && actions !== undefined) return actions
  const given = actions ?? []
  const missing = (DEFAULT_ACTIONS[kind] ?? []).filter((name) => !given.some((a) => a.name === name))
  return [
    ...given,
    ...missing.map((name): Action => ({
      name,
      energy_scale: 1,
      throughput_scale: 1,
      extra_attributes_for_component_model: {}
    }))
  ]
}

interface CostContext {
  readonly dummy: boolean
  readonly energyScale: number
  readonly throughputScale: number
  readonly nParallelInstances: number
  readonly bitsPerAction: number | undefined
}

const evaluateAction = (a: Action, scope: Scope, symbols: SymbolTable, cost: CostContext, path: Path): ResolvedAction => {
  const extra: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(a.extra_attributes_for_component_model)) {
    extra[k] = evaluateField(v, scope, [...path, "extra_attributes_for_component_model", k])
  }
  const actionScope = extendScope(scope, extra)
  const latency = optionalInRange(a.latency, actionScope, [...path, "latency"], NON_NEGATIVE)
  // Deprecated `latency` becomes `throughput = 1 / latency` when no throughput is given.
  const written = optionalInRange(a.throughput, actionScope, [...path, "throughput"], POSITIVE_OR_INF)
  const throughput = written ?? (latency === undefined ? undefined : latency === 0 ? Infinity : 1 / latency)
  // The scales are held to the throughput's own range: a zero throughput_scale (or an infinite
  // latency_scale) made a zero throughput that passed `check` and failed the search on 0 / 0.
  const latencyScale = optionalInRange(a.latency_scale, actionScope, [...path, "latency_scale"], NON_NEGATIVE)
  const throughputScale = latencyScale !== undefined
    ? (latencyScale === 0 ? Infinity : 1 / latencyScale)
    : evaluateInRange(a.throughput_scale, actionScope, [...path, "throughput_scale"], POSITIVE_OR_INF)
  const energy = optionalInRange(a.energy, actionScope, [...path, "energy"], NON_NEGATIVE)
  const energyScale = evaluateInRange(a.energy_scale, actionScope, [...path, "energy_scale"], NON_NEGATIVE)
  const bitsPerAction = a.bits_per_action === undefined || a.bits_per_action === null
    ? cost.bitsPerAction ?? 1
    : evaluateInRange(a.bits_per_action, actionScope, [...path, "bits_per_action"], POSITIVE)
  return {
    name: a.name,
    energy: energy !== undefined ? energy * cost.energyScale * energyScale : cost.dummy ? 0 : undefined,
    throughput: throughput !== undefined
      ? throughput * cost.throughputScale * throughputScale * cost.nParallelInstances
      : cost.dummy
      ? Infinity
      : undefined,
    latency,
    bitsPerAction,
    valuesPerAction: setKeyedDict(a.values_per_action ?? {}, actionScope, symbols, [...path, "values_per_action"]),
    extra
  }
}

const evaluateTensors = (t: Tensors, scope: Scope, symbols: SymbolTable, path: Path): ResolvedTensors => {
  const keepDefault = "Nothing"
  const mayKeepDefault = t.keep === undefined ? "All" : "Nothing"
  return {
    keep: evaluateSetField(t.keep, symbols, "tensor", keepDefault),
    mayKeep: evaluateSetField(t.may_keep, symbols, "tensor", mayKeepDefault),
    back: evaluateSetField(t.back, symbols, "tensor", "Nothing"),
    noRefetchFromAbove: evaluateSetField(t.no_refetch_from_above, symbols, "tensor", "~All"),
    noResendToBelow: evaluateSetField(t.no_resend_to_below, symbols, "tensor", "~All"),
    tileShape: comparisons(t.tile_shape, scope, symbols, [...path, "tile_shape"]),
    tensorOrderOptions: t.tensor_order_options.map((option) =>
      option.map((s) => evaluateSetField(s, symbols, "tensor", "Nothing"))
    ),
    forceMemoryHierarchyOrder: t.force_memory_hierarchy_order
  }
}

const evaluateDirection = (leaf: ArchLeaf, symbols: SymbolTable, path: Path): ResolvedComponent["direction"] => {
  if (leaf.$tag !== "Toll") return undefined
  const all = evaluateSetField("All", symbols, "tensor", "All")
  const tensors = all._tag === "Resolved" ? [...all.set] : []
  if (typeof leaf.direction === "string") return new Map(tensors.map((t) => [t, leaf.direction as "up"]))
  const out = new Map<string, "up" | "down" | "up_and_down">()
  for (const [key, dir] of Object.entries(leaf.direction)) {
    const set = evaluateSetField(key, symbols, "tensor", "Nothing")
    if (set._tag === "Deferred") fail([...path, "direction", key], `could not evaluate set expression '${key}'`)
    else for (const t of set.set) out.set(t, dir)
  }
  const missing = tensors.filter((t) => !out.has(t))
  if (missing.length > 0) fail([...path, "direction"], `direction must cover every tensor; missing ${missing.join(", ")}`)
  return out
}

/** Evaluate one leaf. `scope` is the arch scope for this Einsum (§5.4); `path` names the node. */
export const evaluateComponent = (
  leaf: ArchLeaf,
  archScope: Scope,
  archExtras: Readonly<Record<string, unknown>>,
  symbols: SymbolTable,
  path: Path
): ResolvedComponent => {
  if (leaf.$tag === "Container") {
    return {
      kind: "Container", name: leaf.name, componentClass: undefined, needsComponentModel: false, enabled: true,
      spatial: leaf.spatial.map((s, i) => evaluateSpatial(s, archScope, symbols, [...path, "spatial", s.name ?? String(i)])),
      actions: [], area: 0, leakPower: 0, actionsScale: 1, nParallelInstances: 1, totalLatency: undefined,
      size: undefined, tensors: undefined, bitsPerValue: new Map(), bitsPerAction: undefined,
      valuesPerAction: new Map(), skipInitialOutputWrite: true, direction: undefined, topology: undefined, extra: {}
    }
  }
  // Extra attributes first; arch-wide ones fill keys the component leaves missing or null.
  const rawExtras: Record<string, unknown> = { ...leaf.extra_attributes_for_component_model }
  for (const [k, v] of Object.entries(archExtras)) if (rawExtras[k] === undefined || rawExtras[k] === null) rawExtras[k] = v
  const extra: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(rawExtras)) {
    extra[k] = archExtras[k] === v ? v : evaluateField(v, archScope, [...path, "extra_attributes_for_component_model", k])
  }
  const fields = new Map<string, unknown>()
  const scope = extendScope(extendScope(archScope, extra), fields)

  const enabled = evaluateEnabled(leaf, scope, path)
  const raw = leaf as unknown as Record<string, unknown>
  if (leaf.latency_scale !== undefined && raw["throughput_scale"] !== 1) {
    fail([...path, "latency_scale"], "give either latency_scale (deprecated) or throughput_scale, not both")
  }
  if (leaf.$tag === "Memory" && (raw["size"] === null || (typeof raw["size"] === "string" && raw["size"].trim() === ""))) {
    fail([...path, "size"], "the size is empty; give a number of bits, or inf for an unbounded memory")
  }
  for (const name of dependencyOrder(raw, NUMERIC_FIELDS, path)) {
    fields.set(name, evaluateInRange(raw[name], scope, [...path, name], FIELD_RANGES[name as keyof typeof FIELD_RANGES]))
  }
  if (leaf.latency_scale !== undefined) {
    const l = evaluateNumber(leaf.latency_scale, scope, [...path, "latency_scale"])
    fields.set("throughput_scale", l === 0 ? Infinity : 1 / l)
  }
  const num = (name: string, dflt: number | undefined): number | undefined => (fields.get(name) as number | undefined) ?? dflt
  const bitsPerValue = "bits_per_value" in leaf
    ? setKeyedDict(leaf.bits_per_value, scope, symbols, [...path, "bits_per_value"])
    : new Map<string, number>()
  fields.set("bits_per_value", Object.fromEntries(bitsPerValue))
  const valuesPerAction = "values_per_action" in leaf
    ? setKeyedDict(leaf.values_per_action, scope, symbols, [...path, "values_per_action"])
    : new Map<string, number>()

  const componentClass = leaf.component_class ?? undefined
  const dummy = isDummy(componentClass)
  const nParallelInstances = num("n_parallel_instances", 1)!
  const cost: CostContext = {
    dummy,
    energyScale: num("energy_scale", 1)!,
    throughputScale: num("throughput_scale", 1)!,
    nParallelInstances,
    bitsPerAction: num("bits_per_action", undefined)
  }
  const actions = withDefaultActions(leaf.$tag, leaf.actions).map((a, i) =>
    evaluateAction(a, scope, symbols, cost, [...path, "actions", a.name ?? String(i)])
  )
  const area = scaled(num("area", undefined), dummy, num("area_scale", 1)! * nParallelInstances)
  const leakPower = scaled(num("leak_power", undefined), dummy, num("leak_power_scale", 1)! * nParallelInstances)
  // Area is only needed for area reports, so a missing area alone doesn't call for a model.
  const needsComponentModel = !dummy &&
    (leakPower === undefined || actions.some((a) => a.energy === undefined || a.throughput === undefined))

  return {
    kind: leaf.$tag,
    name: leaf.name,
    spatial: leaf.spatial.map((s, i) => evaluateSpatial(s, scope, symbols, [...path, "spatial", s.name ?? String(i)])),
    actions,
    componentClass,
    needsComponentModel,
    enabled,
    area,
    leakPower,
    actionsScale: num("actions_scale", 1)!,
    nParallelInstances,
    totalLatency: leaf.total_latency === undefined || leaf.total_latency === null
      ? undefined
      // A number is known now (an expression is checked where the model evaluates it: model/metrics/latency.ts).
      : typeof leaf.total_latency === "number" ? inRange(leaf.total_latency, NON_NEGATIVE_OR_INF, [...path, "total_latency"]) : textOf(leaf.total_latency),
    size: leaf.$tag === "Memory" ? (fields.get("size") as number) : undefined,
    tensors: leaf.$tag === "Memory" || leaf.$tag === "Toll"
      ? evaluateTensors(leaf.tensors, scope, symbols, [...path, "tensors"])
      : undefined,
    bitsPerValue,
    bitsPerAction: cost.bitsPerAction,
    valuesPerAction,
    skipInitialOutputWrite: leaf.$tag === "Memory" || leaf.$tag === "Compute" ? leaf.skip_initial_output_write : true,
    direction: evaluateDirection(leaf, symbols, path),
    topology: leaf.$tag === "Network" ? leaf.topology : undefined,
    extra
  }
}

const scaled = (value: number | undefined, dummy: boolean, factor: number): number | undefined =>
  value !== undefined ? value * factor : dummy ? 0 : undefined

/**
 * `enabled` is try-evaluated: a Compute must give a boolean (the mapper re-evaluates it),
 * while a holder whose `enabled` fails to evaluate counts as enabled (AccelForge's quirk).
 */
const evaluateEnabled = (leaf: ArchLeaf, scope: Scope, path: Path): boolean | string => {
  if (leaf.$tag === "Container") return true
  const raw = leaf.enabled
  if (leaf.$tag === "Compute") return evaluateBoolean(raw, scope, [...path, "enabled"])
  const result = catchEvaluation(() => evaluateBoolean(raw, scope, [...path, "enabled"]))
  return result.ok ? result.value : textOf(raw) ?? String(raw)
}
