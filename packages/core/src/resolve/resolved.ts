/**
 * The arch as one Einsum sees it: every expression evaluated to a number (or, for the
 * mapper's level-by-level `tensors` fields, kept as the expression when it names memories).
 */
import type { SymbolSet } from "../sets/index.ts"

/** A set-valued field: resolved now, or an expression the mapper evaluates level by level. */
export type SetField =
  | { readonly _tag: "Resolved"; readonly set: SymbolSet }
  | { readonly _tag: "Deferred"; readonly expression: string }

export interface ResolvedComparison {
  readonly expression: SetField
  readonly operator: string
  readonly value: number
}

export interface ResolvedSpatial {
  readonly name: string
  readonly fanout: number
  readonly reuse: SetField
  readonly mayReuse: SetField
  readonly loopBounds: ReadonlyArray<ResolvedComparison>
  readonly minUsage: number
  readonly usageScale: number
  readonly powerGateable: boolean
}

export interface ResolvedAction {
  readonly name: string
  /** Joules per action, scales applied; undefined when a component model would be needed. */
  readonly energy: number | undefined
  /** Actions per second (or per cycle), scales and parallel instances applied. */
  readonly throughput: number | undefined
  /** The deprecated `latency`, when given (networks read it). */
  readonly latency: number | undefined
  readonly bitsPerAction: number
  /** Values moved per action, per tensor, where given explicitly (action-level). */
  readonly valuesPerAction: ReadonlyMap<string, number>
  readonly extra: Readonly<Record<string, unknown>>
}

export interface ResolvedTensors {
  readonly keep: SetField
  readonly mayKeep: SetField
  readonly back: SetField
  readonly noRefetchFromAbove: SetField
  readonly noResendToBelow: SetField
  readonly tileShape: ReadonlyArray<ResolvedComparison>
  readonly tensorOrderOptions: ReadonlyArray<ReadonlyArray<SetField>>
  readonly forceMemoryHierarchyOrder: boolean
}

export type ComponentKind = "Memory" | "Toll" | "Compute" | "Network" | "Container"

export interface ResolvedComponent {
  readonly kind: ComponentKind
  readonly name: string
  readonly spatial: ReadonlyArray<ResolvedSpatial>
  readonly actions: ReadonlyArray<ResolvedAction>
  readonly componentClass: string | undefined
  /** Whether a component model (hwcomponents) would be needed for a missing cost. */
  readonly needsComponentModel: boolean
  /** true/false, or the expression when it could not be evaluated (a holder then counts as enabled). */
  readonly enabled: boolean | string
  /** Area of one instance in m², scales applied (undefined when unknown). */
  readonly area: number | undefined
  /** Leak power of one instance in W, scales applied. */
  readonly leakPower: number | undefined
  readonly actionsScale: number
  readonly nParallelInstances: number
  /** `total_latency` as written; evaluated by the model with the action counts. */
  readonly totalLatency: string | number | undefined
  /** Capacity in bits (Memory only; Infinity allowed). */
  readonly size: number | undefined
  readonly tensors: ResolvedTensors | undefined
  /** Bits per value overrides inside this component, per tensor. */
  readonly bitsPerValue: ReadonlyMap<string, number>
  readonly bitsPerAction: number | undefined
  /** Component-level values per action, per tensor. */
  readonly valuesPerAction: ReadonlyMap<string, number>
  readonly skipInitialOutputWrite: boolean
  /** Toll direction per tensor. */
  readonly direction: ReadonlyMap<string, "up" | "down" | "up_and_down"> | undefined
  readonly topology: "mesh" | "all_to_all" | undefined
  /** Extra attributes (the component's own and the arch-wide ones), evaluated. */
  readonly extra: Readonly<Record<string, unknown>>
}

/** The flattened arch for one compute unit, as seen by one Einsum. */
export interface ComputePath {
  readonly compute: string
  /** Whether this compute unit's `enabled` is true for the Einsum. */
  readonly enabled: boolean
  /** Outermost first, ending with the Compute. */
  readonly nodes: ReadonlyArray<ResolvedComponent>
}
