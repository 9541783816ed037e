/**
 * A pmapping template (FFM §2): one Einsum's loop nest on one flattened arch with every
 * structural choice made (which memories keep which tensors, their order, where loops and
 * spatial loops sit) and only the tile shapes left open.
 */
import type { ComputePath, EinsumContext } from "@effect-accelforge/core"

/** One tensor kept in one memory (or passing through one Toll). */
export interface StorageSlot {
  readonly kind: "storage"
  readonly component: string
  /** Position in the flattened arch (outermost = 0). */
  readonly level: number
  readonly tensor: string
  /** The outermost holder of its tensor. */
  readonly backing: boolean
  readonly persistent: boolean
  readonly toll: boolean
  /** `keep`/`back` demanded it (rather than `may_keep` allowing it). */
  readonly mustKeep: boolean
}

export interface LoopSlot {
  readonly kind: "loop"
  readonly spatial: boolean
  readonly rankVariable: string
  /** Spatial loops: the arch node owning the dimension, its level and the dimension name. */
  readonly component: string | undefined
  readonly level: number
  readonly dimension: string | undefined
  /** Above the last backing node of a tensor another Einsum shares: visible to other Einsums. */
  readonly fused: boolean
}

export interface ComputeSlot {
  readonly kind: "compute"
  readonly component: string
  readonly level: number
}

export type TemplateNode = StorageSlot | LoopSlot | ComputeSlot

/** `loop_bounds` of a spatial dimension, on loop indices of the template. */
export interface LoopBound {
  readonly loops: ReadonlyArray<number>
  readonly operator: string
  readonly value: number
  /** `product...` operators bound the product of the counts; others bound each count. */
  readonly product: boolean
}

/** A spatial dimension with `min_usage > 0`: the template's rows should use at least this much. */
export interface MinUsage {
  readonly component: string
  readonly dimension: string
  readonly fanout: number
  readonly minUsage: number
}

export interface Template {
  readonly einsum: string
  readonly context: EinsumContext
  readonly arch: ComputePath
  /** Outermost first, ending with the Compute. */
  readonly nodes: ReadonlyArray<TemplateNode>
  /** Indices (into `nodes`) of the loops, outermost first. */
  readonly loopPositions: ReadonlyArray<number>
  readonly loopBounds: ReadonlyArray<LoopBound>
  readonly minUsage: ReadonlyArray<MinUsage>
  /** Position in generation order for its (Einsum, compute). */
  readonly index: number
}

export const loopsOf = (template: Template): ReadonlyArray<LoopSlot> =>
  template.loopPositions.map((p) => template.nodes[p] as LoopSlot)

/** A compact one-line rendering, e.g. `MainMemory[T0] / T m / GlobalBuffer[T1] / S-X n / MAC`. */
export const describeTemplate = (template: Template): string =>
  template.nodes.map((n) => {
    switch (n.kind) {
      case "storage": return `${n.component}[${n.tensor}]`
      case "loop": return n.spatial ? `S-${n.dimension} ${n.rankVariable}` : `${n.fused ? "F" : "T"} ${n.rankVariable}`
      case "compute": return n.component
    }
  }).join(" / ")
