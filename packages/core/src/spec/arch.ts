/**
 * The `arch:` section as written (AccelForge §2), before per-Einsum evaluation. Node kinds
 * are told apart by their YAML tag (`$tag`). Expression-valued fields keep their raw
 * `ExprValue`; `resolve/` evaluates them for one Einsum at a time.
 */
import * as Schema from "effect/Schema"
import { ExprRecord, ExprValue, Text, withDefault } from "./primitives.ts"

/** The node's YAML tag, stored by the loader under TAG_KEY (`$tag`). */
const tagged = <T extends string>(tag: T) => ({ $tag: Schema.Literal(tag) })

/** A comparison limiting loop bounds or tile shapes (§2.7). */
export const Comparison = Schema.Struct({
  expression: ExprValue,
  operator: Schema.Literals(["==", "<=", ">=", "<", ">", "product==", "product<=", "product>=", "product<", "product>"]),
  value: ExprValue
})
export type Comparison = typeof Comparison.Type

/** One spatial fanout dimension of a node (§2.6). */
export const Spatial = Schema.Struct({
  name: Text,
  fanout: ExprValue,
  may_reuse: Schema.optionalKey(ExprValue),
  reuse: Schema.optionalKey(ExprValue),
  loop_bounds: withDefault(Schema.Array(Comparison), []),
  min_usage: withDefault(ExprValue, 0),
  usage_scale: withDefault(ExprValue, 1),
  power_gateable: withDefault(ExprValue, false)
})
export type Spatial = typeof Spatial.Type

/** An action of a component (§2.3); tensor-holder actions add bits/values per action. */
export const Action = Schema.Struct({
  name: Text,
  energy: Schema.optionalKey(ExprValue),
  energy_scale: withDefault(ExprValue, 1),
  throughput: Schema.optionalKey(ExprValue),
  throughput_scale: withDefault(ExprValue, 1),
  latency: Schema.optionalKey(ExprValue),
  latency_scale: Schema.optionalKey(ExprValue),
  bits_per_action: Schema.optionalKey(ExprValue),
  values_per_action: Schema.optionalKey(ExprRecord),
  extra_attributes_for_component_model: withDefault(ExprRecord, {})
})
export type Action = typeof Action.Type

/** The `tensors:` block of a tensor holder (§2.5). */
export const Tensors = Schema.Struct({
  keep: Schema.optionalKey(ExprValue),
  may_keep: Schema.optionalKey(ExprValue),
  back: Schema.optionalKey(ExprValue),
  tile_shape: withDefault(Schema.Array(Comparison), []),
  no_refetch_from_above: Schema.optionalKey(ExprValue),
  no_resend_to_below: Schema.optionalKey(ExprValue),
  tensor_order_options: withDefault(Schema.Array(Schema.Array(ExprValue)), []),
  force_memory_hierarchy_order: withDefault(Schema.Boolean, true)
})
export type Tensors = typeof Tensors.Type

/** Fields shared by Memory, Toll, Compute and Network (§2.2). */
const componentFields = {
  name: Text,
  spatial: withDefault(Schema.Array(Spatial), []),
  actions: Schema.optionalKey(Schema.Array(Action)),
  component_class: Schema.optionalKey(Schema.NullOr(Text)),
  enabled: withDefault(ExprValue, true),
  area: Schema.optionalKey(ExprValue),
  leak_power: Schema.optionalKey(ExprValue),
  area_scale: withDefault(ExprValue, 1),
  leak_power_scale: withDefault(ExprValue, 1),
  energy_scale: withDefault(ExprValue, 1),
  throughput_scale: withDefault(ExprValue, 1),
  actions_scale: withDefault(ExprValue, 1),
  n_parallel_instances: withDefault(ExprValue, 1),
  total_latency: Schema.optionalKey(ExprValue),
  latency_scale: Schema.optionalKey(ExprValue),
  extra_attributes_for_component_model: withDefault(ExprRecord, {})
}

const holderFields = {
  bits_per_value: withDefault(ExprRecord, {}),
  bits_per_action: Schema.optionalKey(ExprValue),
  values_per_action: withDefault(ExprRecord, {})
}

export const Memory = Schema.Struct({
  ...tagged("Memory"),
  ...componentFields,
  ...holderFields,
  size: ExprValue,
  tensors: withDefault(Tensors, {}),
  skip_initial_output_write: withDefault(Schema.Boolean, true)
})
export type Memory = typeof Memory.Type

const Direction = Schema.Literals(["up", "down", "up_and_down"])

export const Toll = Schema.Struct({
  ...tagged("Toll"),
  ...componentFields,
  ...holderFields,
  tensors: withDefault(Tensors, {}),
  direction: Schema.Union([Direction, Schema.Record(Schema.String, Direction)])
})
export type Toll = typeof Toll.Type

export const Compute = Schema.Struct({
  ...tagged("Compute"),
  ...componentFields,
  skip_initial_output_write: withDefault(Schema.Boolean, true)
})
export type Compute = typeof Compute.Type

export const Network = Schema.Struct({
  ...tagged("Network"),
  ...componentFields,
  bits_per_value: withDefault(ExprRecord, {}),
  bits_per_action: Schema.optionalKey(ExprValue),
  topology: withDefault(Schema.Literals(["mesh", "all_to_all"]), "mesh")
})
export type Network = typeof Network.Type

export const Container = Schema.Struct({
  ...tagged("Container"),
  name: Text,
  spatial: withDefault(Schema.Array(Spatial), [])
})
export type Container = typeof Container.Type

export type ArchLeaf = Memory | Toll | Compute | Network | Container

export interface Hierarchical {
  readonly $tag: "Hierarchical"
  readonly nodes: ReadonlyArray<ArchNode>
}
export interface Fork {
  readonly $tag: "Fork"
  readonly nodes: ReadonlyArray<ArchNode>
  readonly forked_power_gateable: boolean
  readonly non_forked_power_gateable: boolean
}
export interface ArrayNode {
  readonly $tag: "Array"
  readonly name: string
  readonly spatial: ReadonlyArray<Spatial>
  readonly nodes: ReadonlyArray<ArchNode>
}
export type ArchNode = ArchLeaf | Hierarchical | Fork | ArrayNode

export interface ArchNodeEncoded {
  readonly [key: string]: unknown
}

export const ArchNode: Schema.Codec<ArchNode, ArchNodeEncoded> = Schema.Union([
  Memory,
  Toll,
  Compute,
  Network,
  Container,
  Schema.Struct({
    ...tagged("Hierarchical"),
    nodes: withDefault(Schema.Array(Schema.suspend(() => ArchNode)), [])
  }),
  Schema.Struct({
    ...tagged("Fork"),
    nodes: withDefault(Schema.Array(Schema.suspend(() => ArchNode)), []),
    forked_power_gateable: withDefault(Schema.Boolean, false),
    non_forked_power_gateable: withDefault(Schema.Boolean, false)
  }),
  Schema.Struct({
    ...tagged("Array"),
    name: Text,
    spatial: withDefault(Schema.Array(Spatial), []),
    nodes: withDefault(Schema.Array(Schema.suspend(() => ArchNode)), [])
  })
]) as never

export const Arch = Schema.Struct({
  nodes: withDefault(Schema.Array(ArchNode), []),
  variables: withDefault(ExprRecord, {}),
  extra_attributes_for_all_component_models: withDefault(ExprRecord, {})
})
export type Arch = typeof Arch.Type

export const ARCH_NODE_TAGS = ["Memory", "Toll", "Compute", "Network", "Container", "Hierarchical", "Fork", "Array"] as const
