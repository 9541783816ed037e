/**
 * Which partial mappings can meet (FFM §5.1, §5.5): the tensors two sides both use must sit in
 * the same memory under the same fused loops (same ranks, same iteration counts), and the next
 * Einsum must run inside every loop that holds a tensor the joined-so-far side still needs, so
 * those loops must be the outermost of its own nest.
 */
import type { Compatibility, FusedLoop, TensorCopy, TensorPlacement } from "../compatibility/compatibility.ts"
import type { TensorFilter } from "./tensor-uses.ts"

/** The placements of the given tensors, as a hash key (copies are matched by `copiesAgree`). */
export const placementKey = (c: Compatibility, tensors: TensorFilter): string =>
  JSON.stringify(c.tensors.filter((t) => tensors.has(t.tensor)).map(({ tensor, component, persistent, loops }) => ({ tensor, component, persistent, loops })))

const sameCopies = (a: ReadonlyArray<TensorCopy>, b: ReadonlyArray<TensorCopy>): boolean =>
  a.length === b.length && a.every((c, i) => c.level === b[i]!.level && c.node === b[i]!.node)

/**
 * Whether the next Einsum (`right`) holds exactly the copies the Einsums before it hold, above
 * the loops it shares with them, of every tensor both use: there the fused LoopTree puts one
 * node on both Einsums' paths (result/fused-mapping.ts), so a copy only one of them was scored
 * with would be read by the other too. `left`'s copies are those of the latest user of each
 * tensor, below `open` (the levels it still shares with the next Einsum).
 */
export const copiesAgree = (left: Compatibility, right: Compatibility): boolean => {
  for (const t of left.tensors) {
    if (t.open === undefined) continue
    const u = right.tensors.find((x) => x.tensor === t.tensor)
    if (u === undefined) continue
    const open = t.open
    if (!sameCopies(t.copies ?? [], (u.copies ?? []).filter((c) => c.level < open))) return false
  }
  return true
}

/**
 * A placement as the Einsums after a join step see it: copies below `open` levels (the loops
 * its latest user shares with the next Einsum, at most the joined nest), `open` only when a
 * copy could sit there (below the backing node's loops).
 */
export const openPlacement = (t: TensorPlacement, open: number): TensorPlacement => {
  const { copies, open: _, ...placement } = t
  if (open <= t.loops.length) return placement
  const kept = (copies ?? []).filter((c) => c.level < open)
  return kept.length === 0 ? { ...placement, open } : { ...placement, copies: kept, open }
}

/** The longest loop nest of a compatibility (every tensor's loops are a prefix of it). */
export const loopNest = (c: Compatibility): ReadonlyArray<FusedLoop> =>
  c.tensors.reduce<ReadonlyArray<FusedLoop>>((best, t) => (t.loops.length > best.length ? t.loops : best), [])

/**
 * Whether the next Einsum (`right`) can run under the joined side's nest (`left`): its own nest
 * must start with the left's loops, matched on iteration counts (ranks differ per tensor).
 */
export const nestsCompatible = (left: Compatibility, right: Compatibility): boolean => {
  const a = loopNest(left)
  const b = loopNest(right)
  if (a.length > b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!
    const y = b[i]!
    if (x.iterations !== y.iterations || x.spatial !== y.spatial || x.dimension !== y.dimension) return false
  }
  return true
}

/** Tensors of both sides with equal placements (the caller already matched them by key). */
export const sharedPlacements = (left: Compatibility, right: Compatibility): Array<TensorPlacement> =>
  left.tensors.filter((t) => right.tensors.some((u) => u.tensor === t.tensor))

/**
 * The joined compatibility: what Einsums after the right one still use, from either side. A
 * tensor the right side uses carries its copies (it is now the latest user, sharing the whole
 * joined nest with the next Einsum); one it does not use keeps the left's, open no deeper than
 * the loops the right side shared with the left.
 */
export const joinedCompatibility = (left: Compatibility, right: Compatibility, live: TensorFilter): Compatibility => {
  const fromRight = right.tensors.filter((t) => live.has(t.tensor))
  const fromLeft = left.tensors.filter((t) => live.has(t.tensor) && !fromRight.some((u) => u.tensor === t.tensor))
  const tensors = [...fromLeft, ...fromRight].sort((x, y) => (x.tensor < y.tensor ? -1 : x.tensor > y.tensor ? 1 : 0))
  const nest = tensors.reduce((d, t) => Math.max(d, t.loops.length), 0)
  const shared = loopNest(left).length
  return {
    tensors: tensors.map((t) => openPlacement(t, fromRight.includes(t) ? nest : Math.min(t.open ?? t.loops.length, shared, nest)))
  }
}
