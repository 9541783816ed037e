/**
 * Compatibility (FFM §5.1, §3.8.6): what one Einsum's pmapping exposes to the others. For
 * every tensor it shares: the memory backing it, whether it is persistent, and the fused loops
 * above its backing node, each as (the tensor's rank, spatial?, dimension, iterations). A loop
 * of one iteration is dropped, so a pmapping without a loop joins partners that lack it too.
 */
import type { EinsumContext } from "@effect-accelforge/core"
import type { EinsumFacts } from "../template/einsum-facts.ts"
import type { Template } from "../template/template.ts"

export interface FusedLoop {
  /** The shared tensor's rank the loop's variable indexes, or "NO RANK. RECOMPUTED.". */
  readonly rank: string
  readonly spatial: boolean
  readonly dimension: string | null
  readonly iterations: number
}

export interface TensorPlacement {
  readonly tensor: string
  readonly component: string
  readonly persistent: boolean
  readonly loops: ReadonlyArray<FusedLoop>
}

export interface Compatibility {
  /** Sorted by tensor. */
  readonly tensors: ReadonlyArray<TensorPlacement>
}

export const NO_RANK = "NO RANK. RECOMPUTED."

export const compatibilityKey = (c: Compatibility): string => JSON.stringify(c.tensors)

/** Fused depth: the most loops above any of the tensors (all are prefixes of one nest). */
export const compatibilityDepth = (c: Compatibility): number => c.tensors.reduce((d, t) => Math.max(d, t.loops.length), 0)

/** The tensor's rank indexed by `variable` alone, per shared tensor. */
const rankIndexedBy = (ctx: EinsumContext, tensor: string, variable: string): string => {
  const access = ctx.einsum.accesses.find((a) => a.tensor === tensor)!
  const i = access.projection.findIndex((p) =>
    p.affine.constant === 0 && p.affine.terms.length === 1 && p.affine.terms[0]!.variable === variable && p.affine.terms[0]!.coefficient === 1
  )
  return i < 0 ? NO_RANK : access.ranks[i]!
}

/** Precomputed per template: for each shared tensor, its backing slot and the loops above it. */
export interface CompatibilityPlan {
  readonly entries: ReadonlyArray<{
    readonly tensor: string
    readonly component: string
    readonly persistent: boolean
    /** Loop indices above the backing node with the rank each indexes. */
    readonly loops: ReadonlyArray<{ readonly loop: number; readonly rank: string; readonly spatial: boolean; readonly dimension: string | null }>
  }>
}

export const compatibilityPlan = (template: Template, facts: EinsumFacts): CompatibilityPlan => {
  const entries = [...facts.fusable].sort().map((tensor) => {
    const at = template.nodes.findIndex((n) => n.kind === "storage" && n.backing && n.tensor === tensor)
    const slot = template.nodes[at]
    const loops: Array<{ loop: number; rank: string; spatial: boolean; dimension: string | null }> = []
    template.loopPositions.forEach((p, loop) => {
      if (p >= at) return
      const n = template.nodes[p]!
      if (n.kind !== "loop") return
      loops.push({ loop, rank: rankIndexedBy(template.context, tensor, n.rankVariable), spatial: n.spatial, dimension: n.dimension ?? null })
    })
    return {
      tensor,
      component: slot?.kind === "storage" ? slot.component : "",
      persistent: slot?.kind === "storage" ? slot.persistent : false,
      loops
    }
  })
  return { entries }
}

/** The compatibility of one row, given its loop counts. */
export const rowCompatibility = (plan: CompatibilityPlan, counts: ArrayLike<number>): Compatibility => ({
  tensors: plan.entries.map((e) => ({
    tensor: e.tensor,
    component: e.component,
    persistent: e.persistent,
    loops: e.loops.filter((l) => counts[l.loop] !== 1).map((l) => ({
      rank: l.rank, spatial: l.spatial, dimension: l.dimension, iterations: counts[l.loop]!
    }))
  }))
})
