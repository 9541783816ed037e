/**
 * What an enumeration step's candidate lists (chain-step.ts) need of its chains and of the
 * template's reservations, whatever rows the step takes in and whatever `min_usage` its rows
 * must reach: each chain's loop counts and whether it passes the limits on its own, and the
 * reservations' monomials split by the step's own loops. A step whose first pass (the rows
 * reaching min_usage) finds none makes a second pass over the same chains: both share these
 * (on eyeriss 6.7B prefill, 550 of 1089 steps make two passes).
 */
import { CAPACITY_FITS } from "@effect-accelforge/model"
import type { StepShape } from "./chain-step.ts"

/** A monomial of a reservation that involves the step's own loops: its memory, coefficient and factors split in two. */
export interface SplitMonomial {
  readonly memory: number
  readonly coef: number
  /** Flattened (loop, power) pairs over the other loops. */
  readonly rest: Int32Array
}

export const power = (tile: number, e: number): number => (e === 1 ? tile : e === -1 ? 1 / tile : Math.pow(tile, e))

export class StepTables {
  readonly counted: ChainLoops
  /** Chains that pass the limits on their own, in enumeration order. */
  readonly live: Int32Array
  /** The most fused loops, and loops, of a live chain. */
  readonly maxFused: number
  readonly maxAll: number
  /** Reservation monomials without the step's loops: summed per row. */
  readonly fixed: ReadonlyArray<SplitMonomial & { readonly constant: boolean }>
  /** Split monomials' factors, ordered by memory (stable): memory m's are `splitStart[m]..splitStart[m+1]`. */
  readonly splitStart: Int32Array
  /** Per split monomial and chain: the product of its own factors (`split.length × nChains`). */
  readonly ownPart: Float64Array
  /** Per memory: its size with the capacity rule's tolerance. */
  readonly limit: Float64Array
  /** Per split monomial: its factors over the other loops, and its coefficient. */
  readonly splitRest: ReadonlyArray<Int32Array>
  readonly splitCoef: Float64Array

  constructor(shape: StepShape, own: ReadonlyArray<number>, chains: Int32Array, chainCounts: Float64Array, nChains: number) {
    const k = own.length
    const { counted, live } = chainLoopsOf(shape, own, chainCounts, nChains)
    this.counted = counted
    this.live = live
    let maxFused = 0
    let maxAll = 0
    for (let x = 0; x < live.length; x++) {
      maxFused = Math.max(maxFused, counted.fused[live[x]!]!)
      maxAll = Math.max(maxAll, counted.all[live[x]!]!)
    }
    this.maxFused = maxFused
    this.maxAll = maxAll

    const isOwn = new Uint8Array(shape.loops.length)
    for (const i of own) isOwn[i] = 1
    const fixed: Array<SplitMonomial & { constant: boolean }> = []
    let split: Array<SplitMonomial & { own: Int32Array }> = []
    for (const r of shape.capacity?.reservations ?? []) {
      const p = r.bits
      if (p.constant !== 0) fixed.push({ memory: r.memory, coef: p.constant, rest: new Int32Array(0), constant: true })
      for (let m = 0; m < p.coefs.length; m++) {
        const rest: Array<number> = []
        const ownFactors: Array<number> = []
        for (let f = p.start[m]!; f < p.start[m + 1]!; f++) {
          const target = isOwn[p.symbol[f]!] ? ownFactors : rest
          target.push(p.symbol[f]!, p.power[f]!)
        }
        const monomial = { memory: r.memory, coef: p.coefs[m]!, rest: Int32Array.from(rest) }
        if (ownFactors.length === 0) fixed.push({ ...monomial, constant: false })
        else split.push({ ...monomial, own: Int32Array.from(ownFactors) })
      }
    }
    this.fixed = fixed
    // Each memory's monomials in their order: a memory's sum is added up as before, and a row
    // stops at the first memory it overflows.
    const memories = shape.capacity?.memories.length ?? 0
    split = split.map((m, i) => ({ m, i })).sort((a, b) => a.m.memory - b.m.memory || a.i - b.i).map(({ m }) => m)
    this.splitStart = new Int32Array(memories + 1)
    for (const m of split) this.splitStart[m.memory + 1]!++
    for (let m = 0; m < memories; m++) this.splitStart[m + 1]! += this.splitStart[m]!
    this.limit = Float64Array.from(shape.capacity?.memories ?? [], (m) => m.size * CAPACITY_FITS)
    this.ownPart = new Float64Array(split.length * nChains)
    const position = new Int32Array(shape.loops.length)
    own.forEach((i, j) => (position[i] = j))
    split.forEach((m, s) => this.ownPart.set(ownPartsOf(m.own, position, chains, k, nChains), s * nChains))
    this.splitRest = split.map((m) => m.rest)
    this.splitCoef = Float64Array.from(split, (m) => m.coef)
  }
}

export interface ChainLoops {
  /** Per chain: its loops of more than one iteration, and those of them fused. */
  readonly all: Int32Array
  readonly fused: Int32Array
  /** Per chain and spatial dimension (`chain × nDims + dimension`): instances used, loops on it. */
  readonly used: Float64Array
  readonly dimLoops: Int32Array
}

/**
 * What the tables read of a step's chains alone, kept per chain list: `stepChains`
 * (enumerate-tiles.ts) hands every step of one bound, loop count and coarseness the same
 * chains and counts arrays, and the steps of a workload's templates mostly repeat the same own
 * loops (on eyeriss 6.7B prefill, 1,013 of 1,089 steps had a step before them with the same
 * chains, fused loops and spatial dimensions; their 1,089 tables, rebuilt warm after the search,
 * took 46 ms of CPU on fresh copies of the chains against 10.5 ms with what is kept). Each entry
 * is what the function would compute again from the same arrays and the same key, so the tables
 * are the same numbers.
 */
const chainLoopsMemo = new WeakMap<Float64Array, Map<string, { readonly counted: ChainLoops; readonly live: Int32Array }>>()
const ownPartsMemo = new WeakMap<Int32Array, Map<string, Float64Array>>()

/** The chains' loop counts and the live chains, for the own loops' fused flags and spatial dimensions and the step's limits and fanouts. */
const chainLoopsOf = (shape: StepShape, own: ReadonlyArray<number>, chainCounts: Float64Array, nChains: number) => {
  const { maxFusedLoops, maxFusedLoopsPerRankVariable, maxLoops, maxLoopsPerSpatialDimension } = shape.limits
  const key = `${own.map((i) => (shape.loops[i]!.fused ? 1 : 0)).join("")}/${own.map((i) => shape.dimOf[i]).join(",")}/${shape.fanouts.join(",")}/${maxFusedLoops},${maxFusedLoopsPerRankVariable},${maxLoops},${maxLoopsPerSpatialDimension}`
  let memo = chainLoopsMemo.get(chainCounts)
  if (memo === undefined) chainLoopsMemo.set(chainCounts, (memo = new Map()))
  let entry = memo.get(key)
  if (entry === undefined) {
    const counted = countChainLoops(shape, own, chainCounts, nChains)
    entry = { counted, live: liveChains(shape, counted, nChains) }
    memo.set(key, entry)
  }
  return entry
}

/** A split monomial's own parts per chain (`ownParts`), by its factors' places among the own loops and powers, in order. */
const ownPartsOf = (own: Int32Array, position: Int32Array, chains: Int32Array, k: number, nChains: number): Float64Array => {
  let key = ""
  for (let f = 0; f < own.length; f += 2) key += `${position[own[f]!]}^${own[f + 1]},`
  let memo = ownPartsMemo.get(chains)
  if (memo === undefined) ownPartsMemo.set(chains, (memo = new Map()))
  let parts = memo.get(key)
  if (parts === undefined) {
    parts = new Float64Array(nChains)
    ownParts(own, position, chains, k, nChains, parts, 0)
    memo.set(key, parts)
  }
  return parts
}

// The per-chain loops below are functions of their own, over typed arrays: in the constructor,
// they ran deoptimized (the template objects they read change shape from template to template).

/** Each chain's loop counts: loops, fused loops, and per spatial dimension instances and loops. */
const countChainLoops = (shape: StepShape, own: ReadonlyArray<number>, chainCounts: Float64Array, nChains: number): ChainLoops => {
  const nDims = shape.fanouts.length
  const k = own.length
  const isFused = Uint8Array.from(own, (i) => (shape.loops[i]!.fused ? 1 : 0))
  const dimOf = Int32Array.from(own, (i) => shape.dimOf[i]!)
  const all = new Int32Array(nChains)
  const fused = new Int32Array(nChains)
  const used = new Float64Array(nChains * nDims).fill(1)
  const dimLoops = new Int32Array(nChains * nDims)
  for (let c = 0; c < nChains; c++) {
    for (let j = 0; j < k; j++) {
      const count = chainCounts[c * k + j]!
      if (count <= 1) continue
      all[c]!++
      fused[c]! += isFused[j]!
      const d = dimOf[j]!
      if (d >= 0) {
        used[c * nDims + d]! *= count
        dimLoops[c * nDims + d]!++
      }
    }
  }
  return { all, fused, used, dimLoops }
}

/** The chains within the limits on their own, in enumeration order. */
const liveChains = (shape: StepShape, counted: ChainLoops, nChains: number): Int32Array => {
  const { maxFusedLoops, maxFusedLoopsPerRankVariable, maxLoops, maxLoopsPerSpatialDimension } = shape.limits
  const fanouts = shape.fanouts
  const nDims = fanouts.length
  const live = new Int32Array(nChains)
  let n = 0
  for (let c = 0; c < nChains; c++) {
    const fused = counted.fused[c]!
    let ok = fused <= maxFusedLoops && fused <= maxFusedLoopsPerRankVariable && counted.all[c]! <= maxLoops
    for (let d = 0; d < nDims && ok; d++) ok = counted.used[c * nDims + d]! <= fanouts[d]! && counted.dimLoops[c * nDims + d]! <= maxLoopsPerSpatialDimension
    if (ok) live[n++] = c
  }
  return live.slice(0, n)
}

/** Per chain, a monomial's factors over the step's own loops (`own`: flattened (loop, power) pairs), into `out` from `at`. */
const ownParts = (own: Int32Array, position: Int32Array, chains: Int32Array, k: number, nChains: number, out: Float64Array, at: number): void => {
  for (let c = 0; c < nChains; c++) {
    let value = 1
    for (let f = 0; f < own.length; f += 2) value *= power(chains[c * k + position[own[f]!]!]!, own[f + 1]!)
    out[at + c] = value
  }
}
