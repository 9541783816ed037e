/**
 * Compatibility (FFM §5.1, §3.8.6): what one Einsum's pmapping exposes to the others. For
 * every tensor it shares: the memory backing it, whether it is persistent, and the fused loops
 * above its backing node, each as (the tensor's rank, spatial?, dimension, iterations). A loop
 * of one iteration is dropped, so a pmapping without a loop joins partners that lack it too.
 *
 * Also its non-backing copies of the tensor that sit above a fused loop (`copies`): in the
 * fused LoopTree a node above a shared loop is on the path of every Einsum below that loop, so
 * another user of the tensor that shares the loop reads through the copy too. Users that share
 * the loop must therefore hold the same copies there (see `copiesAgree`); AccelForge counts
 * such copies as intra-Einsum, and a join that ignored them built mappings that the model
 * evaluates differently from the rows it summed.
 */
import type { EinsumContext } from "@effect-accelforge/core"
import type { EinsumFacts } from "../template/einsum-facts.ts"
import type { LoopSlot, Template } from "../template/template.ts"
import { packedMap } from "../pareto/packed-map.ts"

export interface FusedLoop {
  /** The shared tensor's rank the loop's variable indexes, or "NO RANK. RECOMPUTED.". */
  readonly rank: string
  readonly spatial: boolean
  readonly dimension: string | null
  readonly iterations: number
}

/** A non-backing holder of a shared tensor above `level` fused loops (of more than one iteration) and below the next. */
export interface TensorCopy {
  /** The holder as the LoopTree writes it (`Storage`/`Toll`, component, persistence). */
  readonly node: string
  readonly level: number
}

export interface TensorPlacement {
  readonly tensor: string
  readonly component: string
  readonly persistent: boolean
  readonly loops: ReadonlyArray<FusedLoop>
  /** Copies above a fused loop (absent: none), by level then node. */
  readonly copies?: ReadonlyArray<TensorCopy>
  /**
   * Joined compatibilities only: the levels below which the tensor's latest user still shares
   * loops with the next Einsum (its copies there are seen by a later user). Absent when no copy
   * level is open (`open <= loops.length`, as copies sit below the backing node).
   */
  readonly open?: number
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
    /** Its non-backing holders below a fused loop or above one, with the fused loop indices above each. */
    readonly copies: ReadonlyArray<{ readonly node: string; readonly fusedAbove: ReadonlyArray<number> }>
  }>
}

const copyNode = (n: { readonly toll: boolean; readonly component: string; readonly persistent: boolean }): string =>
  n.toll ? `Toll ${n.component}` : `Storage ${n.component}${n.persistent ? " persistent" : ""}`

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
    const copies = template.nodes.flatMap((n, at) => {
      if (n.kind !== "storage" || n.backing || n.tensor !== tensor) return []
      const fusedAbove = template.loopPositions.flatMap((p, loop) => (p < at && (template.nodes[p] as LoopSlot).fused ? [loop] : []))
      return [{ node: copyNode(n), fusedAbove }]
    })
    return {
      tensor,
      component: slot?.kind === "storage" ? slot.component : "",
      persistent: slot?.kind === "storage" ? slot.persistent : false,
      loops,
      copies
    }
  })
  return { entries }
}

/** The copies of one plan entry above a fused loop of more than one iteration, given the row's loop counts and fused depth. */
const rowCopies = (
  copies: CompatibilityPlan["entries"][number]["copies"], counts: ArrayLike<number>, depth: number
): Array<TensorCopy> => {
  const out: Array<TensorCopy> = []
  for (const c of copies) {
    let level = 0
    for (const loop of c.fusedAbove) if (counts[loop] !== 1) level++
    if (level < depth) out.push({ node: c.node, level })
  }
  return out.sort((a, b) => a.level - b.level || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0))
}

/** The compatibility of one row, given its loop counts. */
export const rowCompatibility = (plan: CompatibilityPlan, counts: ArrayLike<number>): Compatibility => {
  // packedMap, not `map`: `write` and the join read these arrays in optimized code, which a second array kind deoptimized (packed-map.ts).
  const tensors: Array<TensorPlacement> = packedMap(plan.entries, (e) => ({
    tensor: e.tensor,
    component: e.component,
    persistent: e.persistent,
    loops: packedMap(e.loops.filter((l) => counts[l.loop] !== 1), (l) => ({
      rank: l.rank, spatial: l.spatial, dimension: l.dimension, iterations: counts[l.loop]!
    }))
  }))
  // The fused depth: a copy below every fused loop of more than one iteration is the Einsum's own.
  const depth = tensors.reduce((d, t) => Math.max(d, t.loops.length), 0)
  return {
    tensors: packedMap(tensors, (t, i) => {
      const copies = rowCopies(plan.entries[i]!.copies, counts, depth)
      return copies.length === 0 ? t : { ...t, copies }
    })
  }
}
