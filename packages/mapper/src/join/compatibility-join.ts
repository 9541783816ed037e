/**
 * Which partial mappings can meet (FFM §5.1, §5.5): the tensors two sides both use must sit in
 * the same memory under the same fused loops (same ranks, same iteration counts), and the next
 * Einsum must run inside every loop that holds a tensor the joined-so-far side still needs, so
 * those loops must be the outermost of its own nest.
 */
import type { Compatibility, FusedLoop, TensorPlacement } from "../compatibility/compatibility.ts"

/** The placements of the given tensors, as a hash key. */
export const placementKey = (c: Compatibility, tensors: ReadonlySet<string>): string =>
  JSON.stringify(c.tensors.filter((t) => tensors.has(t.tensor)))

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

/** The joined compatibility: what Einsums after the right one still use, from either side. */
export const joinedCompatibility = (left: Compatibility, right: Compatibility, live: ReadonlySet<string>): Compatibility => {
  const fromLeft = left.tensors.filter((t) => live.has(t.tensor))
  const fromRight = right.tensors.filter((t) => live.has(t.tensor) && !fromLeft.some((u) => u.tensor === t.tensor))
  return { tensors: [...fromLeft, ...fromRight].sort((x, y) => (x.tensor < y.tensor ? -1 : x.tensor > y.tensor ? 1 : 0)) }
}
