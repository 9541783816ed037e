/**
 * Loop counts (model §1.7), the one place they are computed: for the model's analysis (numbers
 * or polynomials, `loopCounts`) and for the mapper's hot loops over tile rows (`loopCounter`,
 * plain arithmetic on typed arrays). Both follow one plan: a loop's count is the tile of the
 * previous loop over the same rank variable (or the variable's bound) over its own tile.
 *
 * Counts are true divisions (so they may be fractional in a hand-written mapping). The
 * outermost loop over a simple rank variable may be imperfect: tensors that do not use the
 * variable are refetched ceil(R / tile) times, everything else sees the average R / tile.
 * Also the loops-and-Compute pass (§2.2 with no tensor): the Compute's op count and steps, and
 * the spatial fanout each dimension uses.
 */
import { loopCount, mul, type Value, wholeCount } from "../algebra/value.ts"
import type { LoopNode } from "../mapping/pmapping.ts"
import type { EinsumGeometry } from "./geometry.ts"

/** Which tile bounds each loop from outside (loops outermost first). */
export interface LoopCountPlan {
  /** Per loop: the previous loop over the same rank variable, or -1 (then `bound` is its outer extent). */
  readonly previous: Int32Array
  /** Per loop: the bound of its rank variable. */
  readonly bound: Float64Array
}

export const loopCountPlan = (rankVariables: ReadonlyArray<string>, boundOf: (variable: string) => number): LoopCountPlan => {
  const last = new Map<string, number>()
  const previous = new Int32Array(rankVariables.length)
  rankVariables.forEach((v, j) => {
    previous[j] = last.get(v) ?? -1
    last.set(v, j)
  })
  return { previous, bound: Float64Array.from(rankVariables, boundOf) }
}

/**
 * Counts of every loop of one tile row (`tiles[offset + j]` is loop j's tile), with no
 * allocation when `out` is given: the mapper calls this once per tile row.
 */
export const loopCounter = (rankVariables: ReadonlyArray<string>, bounds: ReadonlyMap<string, number>) => {
  const { previous, bound } = loopCountPlan(rankVariables, (v) => bounds.get(v)!)
  const width = rankVariables.length
  return (tiles: ArrayLike<number>, offset: number, out = new Float64Array(width)): Float64Array => {
    for (let j = 0; j < width; j++) {
      const p = previous[j]!
      out[j] = (p < 0 ? bound[j]! : tiles[offset + p]!) / tiles[offset + j]!
    }
    return out
  }
}

export interface LoopCounts<V extends Value = number> {
  /** Per loop (by `order`): iterations seen by compute, fanout and tensors that use the variable. */
  readonly n: ReadonlyArray<V>
  /** Per loop: iterations seen by tensors the variable is irrelevant to (refetches). */
  readonly refetch: ReadonlyArray<V>
}

export interface ComputeStats<V extends Value = number> {
  /** Ops over the whole Einsum. */
  readonly totalOps: V
  /** Ops of the busiest compute instance. */
  readonly maxPerUnitOps: V
  /** Sequential steps on one compute instance: the product of the temporal loops. */
  readonly maxLatency: V
}

/** Each loop list's previous loops (`LoopCountPlan.previous`), kept with the list: an analysis of a template at many rows reads one list. */
const previousLoops = new WeakMap<ReadonlyArray<LoopNode>, Int32Array>()

const previousOf = (loops: ReadonlyArray<LoopNode>): Int32Array => {
  let previous = previousLoops.get(loops)
  if (previous === undefined) previousLoops.set(loops, previous = loopCountPlan(loops.map((l) => l.rankVariable), () => 0).previous)
  return previous
}

/** `tiles[loop.order]` is each loop's tile: its `tileShape`, or a symbol. */
export const loopCounts = <V extends Value>(loops: ReadonlyArray<LoopNode>, geometry: EinsumGeometry, tiles: ArrayLike<V>): LoopCounts<V> => {
  const previous = previousOf(loops)
  const n: Array<V> = []
  const refetch: Array<V> = []
  // Indexed loops here and below: they run per analysis, mostly cold, where an array iterator costs.
  for (let i = 0; i < loops.length; i++) {
    const loop = loops[i]!
    const j = loop.order
    const v = geometry.indexOf.get(loop.rankVariable)!
    const p = previous[j]!
    const count = loopCount(p < 0 ? (geometry.bounds[v]! as V) : tiles[p]!, tiles[j]!)
    n[j] = count
    refetch[j] = p < 0 && geometry.simple[v] ? wholeCount(count) : count
  }
  return { n, refetch }
}

export const computeStats = <V extends Value>(loops: ReadonlyArray<LoopNode>, counts: LoopCounts<V>, opsPerPoint: number): ComputeStats<V> => {
  let totalOps = opsPerPoint as V
  let maxLatency = opsPerPoint as V
  for (let i = 0; i < loops.length; i++) {
    const loop = loops[i]!
    const n = counts.n[loop.order]!
    totalOps = mul(totalOps, n)
    if (!loop.spatial) maxLatency = mul(maxLatency, n)
  }
  return { totalOps, maxPerUnitOps: maxLatency, maxLatency }
}

/** Instances used per (component, dimension): nested loops on one dimension multiply. */
export const usedFanout = <V extends Value>(loops: ReadonlyArray<LoopNode>, counts: LoopCounts<V>): ReadonlyMap<string, ReadonlyMap<string, V>> => {
  const out = new Map<string, Map<string, V>>()
  for (let i = 0; i < loops.length; i++) {
    const loop = loops[i]!
    if (!loop.spatial) continue
    const dims = out.get(loop.component!) ?? new Map<string, V>()
    dims.set(loop.dimension!, mul((dims.get(loop.dimension!) ?? 1) as V, counts.n[loop.order]!))
    out.set(loop.component!, dims)
  }
  return out
}
