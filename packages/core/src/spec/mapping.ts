/**
 * The `mapping:` section: a LoopTree written by hand (AccelForge §7). A `Mapping` is a
 * `Nested` chain where each node is the parent of the next; only the last node may branch.
 * `tile_shape` is an expression evaluated with the spec's variables.
 */
import * as Schema from "effect/Schema"
import { TAG_KEY } from "../loader/raw.ts"
import { ExprValue, Text, withDefault } from "./primitives.ts"

/** The node's YAML tag, stored by the loader under TAG_KEY (`$tag`). */
const tagged = <T extends string>(tag: T) => ({ $tag: Schema.Literal(tag) })
const text = { text: Schema.optionalKey(Schema.NullOr(Text)) }

const loopFields = {
  rank_variable: Text,
  tile_shape: ExprValue,
  initial_tile_shape: Schema.optionalKey(ExprValue),
  ...text
}

export const TemporalNode = Schema.Struct({ ...tagged("Temporal"), ...loopFields })
export type TemporalNode = typeof TemporalNode.Type

export const SpatialNode = Schema.Struct({ ...tagged("Spatial"), ...loopFields, name: Text, component: Text })
export type SpatialNode = typeof SpatialNode.Type

const TensorNames = Schema.Union([Schema.Array(Text), Text])

export const StorageNode = Schema.Struct({
  ...tagged("Storage"),
  tensors: TensorNames,
  component: Text,
  persistent: withDefault(Schema.Boolean, false),
  binding: Schema.optionalKey(Schema.Unknown),
  ...text
})
export type StorageNode = typeof StorageNode.Type

export const TollNode = Schema.Struct({ ...tagged("Toll"), tensors: TensorNames, component: Text, ...text })
export type TollNode = typeof TollNode.Type

export const ComputeNode = Schema.Struct({ ...tagged("Compute"), einsum: Text, component: Text, ...text })
export type ComputeNode = typeof ComputeNode.Type

export const ReservationNode = Schema.Struct({
  ...tagged("Reservation"),
  purposes: withDefault(Schema.Array(Text), []),
  resource: Text,
  persistent: withDefault(Schema.Boolean, false),
  ...text
})
export type ReservationNode = typeof ReservationNode.Type

export const TextBoxNode = Schema.Struct({ ...tagged("TextBox"), text: Text })
export type TextBoxNode = typeof TextBoxNode.Type

export type BranchTag = "Nested" | "Sequential" | "Pipeline" | "Split" | "Mapping"
export interface BranchNode {
  readonly $tag: BranchTag
  readonly nodes: ReadonlyArray<MappingNode>
  readonly text?: string | null
  readonly title?: string | null
}

export type MappingNode =
  | TemporalNode
  | SpatialNode
  | StorageNode
  | TollNode
  | ComputeNode
  | ReservationNode
  | TextBoxNode
  | BranchNode

const branch = (tag: BranchTag) =>
  Schema.Struct({
    ...tagged(tag),
    nodes: withDefault(Schema.Array(Schema.suspend((): Schema.Codec<MappingNode, unknown> => MappingNode)), []),
    ...text,
    ...(tag === "Mapping" ? { title: Schema.optionalKey(Schema.NullOr(Text)) } : {})
  })

export const MappingNode: Schema.Codec<MappingNode, unknown> = Schema.Union([
  TemporalNode,
  SpatialNode,
  StorageNode,
  TollNode,
  ComputeNode,
  ReservationNode,
  TextBoxNode,
  branch("Nested"),
  branch("Sequential"),
  branch("Pipeline"),
  branch("Split"),
  branch("Mapping")
]) as never

/** The top-level `mapping:` value (its tag, if any, is optional). */
export const Mapping = Schema.Struct({
  [TAG_KEY]: Schema.optionalKey(Schema.Literal("Mapping")),
  nodes: withDefault(Schema.Array(MappingNode), []),
  title: Schema.optionalKey(Schema.NullOr(Text)),
  ...text
})
export type Mapping = typeof Mapping.Type

export const MAPPING_NODE_TAGS = [
  "Temporal", "Spatial", "Storage", "Toll", "Compute", "Sequential", "Pipeline", "Split", "Nested", "Mapping",
  "Reservation", "TextBox"
] as const
