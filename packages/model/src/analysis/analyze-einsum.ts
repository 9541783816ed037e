/**
 * The whole analysis of one Einsum's pmapping: reservations, the loops-and-Compute pass, then
 * one reuse pass per tensor (in sorted order, as AccelForge does).
 */
import type { Value } from "../algebra/value.ts"
import type { HolderNode, LoopNode, Pmapping } from "../mapping/pmapping.ts"
import { type Distribution, distribution } from "./distribution.ts"
import { compileGeometry, type EinsumGeometry } from "./geometry.ts"
import { copyPmapping, mergeCopyBuffets } from "./copy.ts"
import { type ComputeStats, computeStats, type LoopCounts, loopCounts, usedFanout } from "./loop-counts.ts"
import { perTensorOrder } from "./per-tensor-order.ts"
import { type AnalysisNode, insertReservations } from "./reservations.ts"
import { analyzeTensor, type Buffet } from "./reuse.ts"

export interface EinsumAnalysisResult<V extends Value = number> {
  /** The pmapping analysed (for a copy Einsum, after the copy transform of copy.ts). */
  readonly pmapping: Pmapping
  readonly geometry: EinsumGeometry
  readonly counts: LoopCounts<V>
  readonly compute: ComputeStats<V>
  /** Instances used per (component, spatial dimension). */
  readonly fanout: ReadonlyMap<string, ReadonlyMap<string, V>>
  /** The loops that use spatial instances (a copy's spatial loops below its last backing holder do not). */
  readonly fanoutLoops: ReadonlyArray<LoopNode>
  /**
   * Every holder's buffet, tensor by tensor (sorted), innermost first within a tensor. For a copy
   * Einsum, one buffet per level, keyed to the input tensor (copy.ts).
   */
  readonly buffets: ReadonlyArray<Buffet<V>>
  /** The Compute's pseudo-buffet of each tensor (sorted). */
  readonly computeBuffets: ReadonlyArray<Buffet<V>>
  readonly distribution: Distribution<V>
  /** Loops above each holder's reservation, in written order (decides what outlives a split). */
  readonly loopsAboveReservation: ReadonlyMap<HolderNode, number>
}

const reservationDepths = (nodes: ReadonlyArray<AnalysisNode>): Map<HolderNode, number> => {
  const out = new Map<HolderNode, number>()
  let loops = 0
  for (const node of nodes) {
    if (node.kind === "loop") loops++
    else if (node.kind === "reservation") out.set(node.holder, loops)
  }
  return out
}

/**
 * A copy stores nothing below its last backing holder, so spatial loops there spread no data
 * and use no instances (the mapper's fanout check mirrors this).
 */
const loopsAboveLastBacking = (p: Pmapping): ReadonlyArray<LoopNode> => {
  let last = -1
  p.nodes.forEach((n, i) => {
    if (n.kind === "holder" && n.backing) last = i
  })
  return p.loops.filter((l) => p.nodes.indexOf(l) < last)
}

/** The loops' own tile shapes, for evaluating a mapping. */
const writtenTiles = (p: Pmapping): Array<number> => p.loops.map((l) => l.tileShape)

/**
 * The parts of an analysis that depend only on the pmapping's nodes, never on its tiles: the
 * copy transform, the reservation marks, the fanout loops, each tensor's node order and the
 * reservation depths. The analysis reads a loop's tile only through `tiles` (never its
 * `tileShape`), so a caller that analyses one pmapping at many tile rows (the mapper: a
 * template's symbols, then its sample rows) makes the structure once and passes it each time.
 * Tensor orders are made on first use, in the analysis's own order, so a mapping the model
 * refuses fails with the same error either way (a failed order is not kept).
 */
export interface EinsumStructure {
  readonly pmapping: Pmapping
  readonly copy: boolean
  readonly geometry: EinsumGeometry
  readonly nodes: ReadonlyArray<AnalysisNode>
  readonly fanoutLoops: ReadonlyArray<LoopNode>
  readonly loopsAboveReservation: ReadonlyMap<HolderNode, number>
  /** Each tensor's node order (geometry.tensorOrder), once made. */
  readonly orders: Array<ReadonlyArray<AnalysisNode> | undefined>
}

export const einsumStructure = (written: Pmapping): EinsumStructure => {
  const copy = written.context.einsum.isCopyOperation
  const pmapping = copy ? copyPmapping(written) : written
  const geometry = compileGeometry(pmapping.context)
  const nodes = insertReservations(pmapping.nodes, geometry, !copy)
  return {
    pmapping, copy, geometry, nodes,
    fanoutLoops: copy ? loopsAboveLastBacking(pmapping) : pmapping.loops,
    loopsAboveReservation: reservationDepths(nodes),
    orders: []
  }
}

const tensorOrder = (s: EinsumStructure, i: number): ReadonlyArray<AnalysisNode> =>
  s.orders[i] ?? (s.orders[i] = perTensorOrder(s.nodes, s.geometry.tensorOrder[i]!, s.geometry, s.pmapping.einsum))

/**
 * `memberOf`: members of `!Array`s (see mapping/arrays.ts), for distributed buffers. `tiles`:
 * each loop's tile by `order` (default: its `tileShape`); symbols give the template's cost
 * terms as polynomials (algebra/value.ts). `structure`: `written`'s, when the caller keeps it.
 */
export const analyzeEinsum = <V extends Value = number>(
  written: Pmapping,
  memberOf: ReadonlyMap<string, string> = new Map(),
  tiles: ArrayLike<V> = writtenTiles(written) as Array<V>,
  structure: EinsumStructure = einsumStructure(written)
): EinsumAnalysisResult<V> => {
  const { pmapping, copy, geometry, fanoutLoops } = structure
  const counts = loopCounts(pmapping.loops, geometry, tiles)
  const fanout = usedFanout(fanoutLoops, counts)
  const distributed = distribution(pmapping, memberOf, fanout)
  const input = { pmapping, tiles, geometry, counts, copy, distribution: distributed }
  const passes = geometry.tensorOrder.map((t, i) => analyzeTensor(input, tensorOrder(structure, i), t))
  // A copy's buffets are re-keyed to its single input and merged per level.
  const rekey = (buffets: Array<Buffet<V>>): Array<Buffet<V>> => copy ? mergeCopyBuffets(buffets, pmapping.context.einsum.inputs[0]!) : buffets
  return {
    pmapping,
    geometry,
    counts,
    compute: computeStats(pmapping.loops, counts, copy ? 0 : 1),
    fanout,
    fanoutLoops,
    buffets: rekey(passes.flatMap((p) => p.holders)),
    computeBuffets: rekey(passes.map((p) => p.compute)),
    distribution: distributed,
    loopsAboveReservation: structure.loopsAboveReservation
  }
}
