/**
 * The loops-and-Compute pass (model §1.7, §2.2 with no tensor): each loop's iteration count,
 * the Compute's op count and sequential steps, and the spatial fanout each dimension uses.
 *
 * Counts are true divisions of the enclosing extent by the tile (so they may be fractional).
 * The outermost loop over a simple rank variable may be imperfect: tensors that do not use
 * the variable are refetched ceil(R / tile) times, everything else sees the average R / tile.
 */
import type { LoopNode } from "../mapping/pmapping.ts"
import type { EinsumGeometry } from "./geometry.ts"

export interface LoopCounts {
  /** Per loop (by `order`): iterations seen by compute, fanout and tensors that use the variable. */
  readonly n: Float64Array
  /** Per loop: iterations seen by tensors the variable is irrelevant to (refetches). */
  readonly refetch: Float64Array
}

export interface ComputeStats {
  /** Ops over the whole Einsum. */
  readonly totalOps: number
  /** Ops of the busiest compute instance. */
  readonly maxPerUnitOps: number
  /** Sequential steps on one compute instance: the product of the temporal loops. */
  readonly maxLatency: number
}

export const loopCounts = (loops: ReadonlyArray<LoopNode>, geometry: EinsumGeometry): LoopCounts => {
  const extent = [...geometry.bounds]
  const seen = new Set<number>()
  const n = new Float64Array(loops.length)
  const refetch = new Float64Array(loops.length)
  for (const loop of loops) {
    const v = geometry.indexOf.get(loop.rankVariable)!
    const count = extent[v]! / loop.tileShape
    n[loop.order] = count
    refetch[loop.order] = !seen.has(v) && geometry.simple[v] ? Math.ceil(count) : count
    seen.add(v)
    extent[v] = loop.tileShape
  }
  return { n, refetch }
}

export const computeStats = (loops: ReadonlyArray<LoopNode>, counts: LoopCounts, opsPerPoint: number): ComputeStats => {
  let totalOps = opsPerPoint
  let maxLatency = opsPerPoint
  for (const loop of loops) {
    const n = counts.n[loop.order]!
    totalOps *= n
    if (!loop.spatial) maxLatency *= n
  }
  return { totalOps, maxPerUnitOps: maxLatency, maxLatency }
}

/** Instances used per (component, dimension): nested loops on one dimension multiply. */
export const usedFanout = (loops: ReadonlyArray<LoopNode>, counts: LoopCounts): ReadonlyMap<string, ReadonlyMap<string, number>> => {
  const out = new Map<string, Map<string, number>>()
  for (const loop of loops) {
    if (!loop.spatial) continue
    const dims = out.get(loop.component!) ?? new Map<string, number>()
    dims.set(loop.dimension!, (dims.get(loop.dimension!) ?? 1) * counts.n[loop.order]!)
    out.set(loop.component!, dims)
  }
  return out
}
