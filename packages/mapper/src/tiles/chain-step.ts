/**
 * One enumeration step (one rank variable's divisor chains appended to every partial row),
 * checked incrementally. Loop counts of a variable's loops depend on its own tiles alone
 * (model analysis/loop-counts.ts), so every validity rule splits into a part fixed by the
 * partial row (computed once per row) and a part fixed by the chain (computed once per step):
 * loops of more than one iteration add up, instances used on a spatial dimension multiply,
 * and each reservation's occupancy polynomial splits into the monomials without the
 * variable's tiles (a per-row constant) and the rest, each a per-row factor times a per-chain
 * factor. A candidate is then a handful of additions and products, with no allocation.
 *
 * The rules are the same as a full check of the completed row (enumerate-tiles.ts states
 * them); rows already passed them for the earlier variables, whose loops do not change.
 *
 * Most candidates fail a rule that compares a per-row number with a per-chain one: the fused
 * loops and loops left to the row (`max_fused_loops`, `max_loops`), and the instances each
 * `min_usage` dimension completed at the step must reach. So a row does not look at such chains one by one: the
 * chains are listed once per step by what they need (fused loops, loops, reach level), and
 * `candidates` hands a row the list of the chains that pass those rules, in enumeration
 * order, so the rows that come out, and their order, are those of checking every chain.
 * The lists leave out the chains that overflow a memory too, as levels of the chains' own
 * occupancy (capacity-levels.ts), so only the memories the levels do not decide are summed per
 * candidate.
 */
import type { LoopSlot } from "../template/template.ts"
import type { CapacityCheck } from "./capacity.ts"
import { CapacityLevels, levelsOf } from "./capacity-levels.ts"
import { reachesMinUsage } from "./min-usage.ts"

export interface StepLimits {
  readonly maxFusedLoops: number
  readonly maxFusedLoopsPerRankVariable: number
  readonly maxLoops: number
  readonly maxLoopsPerSpatialDimension: number
}

/** What the step needs of the template, fixed over the enumeration. */
export interface StepShape {
  readonly loops: ReadonlyArray<LoopSlot>
  readonly variableOfLoop: Int32Array
  /** Per loop: its spatial dimension's index (when it uses instances), else -1. */
  readonly dimOf: ReadonlyArray<number>
  readonly fanouts: Float64Array
  readonly capacity: CapacityCheck | undefined
  readonly limits: StepLimits
}

/** A monomial of a reservation that involves the step's own loops: its memory, coefficient and factors split in two. */
interface SplitMonomial {
  readonly memory: number
  readonly coef: number
  /** Flattened (loop, power) pairs over the other loops. */
  readonly rest: Int32Array
}

/** A `min_usage` dimension the step's rows must reach: per chain, its factor of the dimension's instances used. */
export interface ReachRule {
  readonly part: Float64Array
  readonly fanout: number
  readonly minUsage: number
}

/** Keys of a step's candidate lists up to which they are held in an array (more: in a Map). */
const ARRAY_KEYS = 1 << 10
/** Keys a step's lists may have at most (the key stays an exact integer): capacity levels stop there. */
const MAX_KEYS = 2 ** 48
/** Chains a step's lists hold at most (16 MB): a step of many rows could otherwise keep a list per row. */
const LISTED_CHAINS = 1 << 22

const power = (tile: number, e: number): number => (e === 1 ? tile : e === -1 ? 1 / tile : Math.pow(tile, e))

export class ChainStep {
  private readonly shape: StepShape
  private readonly v: number
  private readonly nDims: number
  /** Chains that pass the rules on their own, in enumeration order. */
  readonly live: Int32Array
  private readonly chainAll: Int32Array
  private readonly chainFused: Int32Array
  private readonly chainUsed: Float64Array
  private readonly chainDimLoops: Int32Array
  /** Reservation monomials without the step's loops: summed per row into `base`. */
  private readonly fixed: ReadonlyArray<SplitMonomial & { readonly constant: boolean }>
  /** Split monomials' factors, ordered by memory (stable): memory m's are `splitStart[m]..splitStart[m+1]`. */
  private readonly splitStart: Int32Array
  /** Per split monomial and chain: the product of its own factors (`split.length × nChains`). */
  private readonly ownPart: Float64Array
  /** Per memory: its size with the capacity rule's tolerance. */
  private readonly limit: Float64Array
  private readonly nChains: number
  private readonly reach: ReadonlyArray<ReachRule>
  /** Per reach rule, the distinct factors of the live chains, ascending. */
  private readonly levels: ReadonlyArray<Float64Array>
  /** Per reach rule and chain (`rule × nChains + chain`): the index of its factor among the rule's levels. */
  private readonly levelOf: Int32Array
  private readonly maxFused: number
  private readonly maxAll: number
  /**
   * Per (fused loops allowed, loops allowed, lowest level of each reach rule, capacity levels),
   * as one index: the live chains passing, built on first use. An array when the keys are few:
   * `candidates` reads it per row (V8 keeps a very large and sparse one as a dictionary itself,
   * and a Map lookup per row was measurable); a Map otherwise.
   */
  private readonly lists: Array<Int32Array | undefined> | undefined
  private readonly listMap: Map<number, Int32Array> | undefined
  /** Chains held by the lists: past LISTED_CHAINS, they are dropped and built again as rows need them. */
  private listed = 0
  private readonly capacityLevels: CapacityLevels
  /** Per reach rule: the lowest level a row reaches (scratch of `candidates`). */
  private readonly lowest: Int32Array
  private static readonly NONE = new Int32Array(0)
  // Per-row state, refilled by `setRow`.
  private rowAll = 0
  private rowFused = 0
  private readonly rowUsed: Float64Array
  private readonly rowDimLoops: Int32Array
  private readonly base: Float64Array
  private readonly rowFactor: Float64Array

  /**
   * `reach`: the `min_usage` dimensions every row of the step must reach (see `candidates`);
   * `withLevels`: whether the lists leave out the chains overflowing a memory (capacity-levels.ts),
   * else every memory is summed per candidate (for a step of few rows, levels cost more than they save).
   */
  constructor(shape: StepShape, v: number, own: ReadonlyArray<number>, chains: Int32Array, chainCounts: Float64Array, nChains: number, reach: ReadonlyArray<ReachRule>, withLevels = true) {
    this.shape = shape
    this.v = v
    this.nChains = nChains
    const nDims = shape.fanouts.length
    this.nDims = nDims
    const k = own.length
    const counted = countChainLoops(shape, own, chainCounts, nChains)
    this.chainAll = counted.all
    this.chainFused = counted.fused
    this.chainUsed = counted.used
    this.chainDimLoops = counted.dimLoops
    const live = liveChains(shape, counted, nChains)
    this.live = live
    let maxFused = 0
    let maxAll = 0
    for (let x = 0; x < live.length; x++) {
      maxFused = Math.max(maxFused, counted.fused[live[x]!]!)
      maxAll = Math.max(maxAll, counted.all[live[x]!]!)
    }
    this.maxFused = maxFused
    this.maxAll = maxAll
    this.reach = reach
    this.levelOf = new Int32Array(reach.length * nChains)
    this.levels = reach.map((rule, d) => levelsOf(rule.part, 0, live, this.levelOf, d * nChains))
    this.lowest = new Int32Array(reach.length)
    this.rowUsed = new Float64Array(nDims)
    this.rowDimLoops = new Int32Array(nDims)

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
    this.limit = Float64Array.from(shape.capacity?.memories ?? [], (m) => m.size * (1 + 1e-9))
    this.ownPart = new Float64Array(split.length * nChains)
    const position = new Int32Array(shape.loops.length)
    own.forEach((i, j) => (position[i] = j))
    split.forEach((m, s) => ownParts(m.own, position, chains, k, nChains, this.ownPart, s * nChains))
    this.base = new Float64Array(memories)
    this.rowFactor = new Float64Array(split.length)
    this.splitRest = split.map((m) => m.rest)
    this.splitCoef = Float64Array.from(split, (m) => m.coef)
    const listKeys = (this.maxFused + 1) * (this.maxAll + 1) * this.levels.reduce((n, levels) => n * levels.length, 1)
    const maxKeySpace = !withLevels ? 0 : Math.max(1, Math.floor(MAX_KEYS / listKeys))
    this.capacityLevels = new CapacityLevels(this.splitStart, this.splitCoef, this.ownPart, nChains, this.live, maxKeySpace)
    const keys = listKeys * this.capacityLevels.keySpace
    if (keys <= ARRAY_KEYS) this.lists = new Array(keys)
    else this.listMap = new Map()
  }

  private readonly splitRest: ReadonlyArray<Int32Array>
  private readonly splitCoef: Float64Array

  /** Takes in a partial row (its tiles at `offset`, its loop counts in `counts`). */
  setRow(tiles: Int32Array, offset: number, counts: Float64Array): void {
    const { shape, nDims } = this
    this.rowAll = 0
    this.rowFused = 0
    this.rowUsed.fill(1)
    this.rowDimLoops.fill(0)
    for (let i = 0; i < counts.length; i++) {
      if (shape.variableOfLoop[i]! >= this.v) continue
      const count = counts[i]!
      if (count <= 1) continue
      this.rowAll++
      if (shape.loops[i]!.fused) this.rowFused++
      const d = shape.dimOf[i]!
      if (d >= 0 && nDims > 0) {
        this.rowUsed[d]! *= count
        this.rowDimLoops[d]!++
      }
    }
    // Tiles not yet chosen are 1 in the row, their smallest: occupancy only grows with tiles.
    this.base.fill(0)
    for (const m of this.fixed) this.base[m.memory]! += m.constant ? m.coef : m.coef * restOf(m.rest, tiles, offset)
    for (let s = 0; s < this.splitCoef.length; s++) this.rowFactor[s] = this.splitCoef[s]! * restOf(this.splitRest[s]!, tiles, offset)
  }

  /**
   * The live chains that pass, for the row taken in by `setRow`, the loop-count limits and every
   * reach rule d, `reachesMinUsage(rowReach[d] × part[c] / fanout, minUsage)`, in enumeration
   * order. Products by a positive row factor and division by the fanout keep the order of the
   * chains' factors, so the chains passing a rule are exactly those from some level up.
   */
  candidates(rowReach: Float64Array): Int32Array {
    const { limits } = this.shape
    const fused = Math.min(limits.maxFusedLoops - this.rowFused, this.maxFused)
    const all = Math.min(limits.maxLoops - this.rowAll, this.maxAll)
    if (fused < 0 || all < 0) return ChainStep.NONE
    let key = fused * (this.maxAll + 1) + all
    for (let d = 0; d < this.reach.length; d++) {
      const { fanout, minUsage } = this.reach[d]!
      const levels = this.levels[d]!
      let level = 0
      while (level < levels.length && !reachesMinUsage((rowReach[d]! * levels[level]!) / fanout, minUsage)) level++
      if (level === levels.length) return ChainStep.NONE
      this.lowest[d] = level
      key = key * levels.length + level
    }
    const capacityKey = this.capacityLevels.rowKey(this.base, this.rowFactor, this.limit)
    if (capacityKey < 0) return ChainStep.NONE
    key = key * this.capacityLevels.keySpace + capacityKey
    const listed = this.lists !== undefined ? this.lists[key] : this.listMap!.get(key)
    return listed ?? this.keep(key, this.passingChains(fused, all))
  }

  private keep(key: number, list: Int32Array): Int32Array {
    this.listed += list.length
    if (this.listed > LISTED_CHAINS) {
      this.lists?.fill(undefined)
      this.listMap?.clear()
      this.listed = list.length
    }
    if (this.lists !== undefined) this.lists[key] = list
    else this.listMap!.set(key, list)
    return list
  }

  /** The live chains within `fused` and `all` loops, at or above the `lowest` level of every reach rule, and within the row's capacity levels. */
  private passingChains(fused: number, all: number): Int32Array {
    const out: Array<number> = []
    for (const c of this.live) {
      let passes = this.chainFused[c]! <= fused && this.chainAll[c]! <= all
      for (let d = 0; d < this.reach.length && passes; d++) passes = this.levelOf[d * this.nChains + c]! >= this.lowest[d]!
      if (passes && this.capacityLevels.admits(c)) out.push(c)
    }
    return Int32Array.from(out)
  }

  /**
   * Whether the row taken in by `setRow`, with chain `c` of its `candidates`, passes the other
   * rules (spatial fanouts and loops per dimension, the memories the capacity levels leave).
   */
  passes(c: number): boolean {
    const { shape, nDims } = this
    for (let d = 0; d < nDims; d++) {
      if (this.rowUsed[d]! * this.chainUsed[c * nDims + d]! > shape.fanouts[d]!) return false
      if (this.rowDimLoops[d]! + this.chainDimLoops[c * nDims + d]! > shape.limits.maxLoopsPerSpatialDimension) return false
    }
    const { base, limit, splitStart, rowFactor, ownPart, nChains } = this
    const summed = this.capacityLevels.summed
    for (let x = 0; x < summed.length; x++) {
      const m = summed[x]!
      let held = base[m]!
      for (let s = splitStart[m]!; s < splitStart[m + 1]!; s++) held += rowFactor[s]! * ownPart[s * nChains + c]!
      if (held > limit[m]!) return false
    }
    return true
  }
}

interface ChainLoops {
  /** Per chain: its loops of more than one iteration, and those of them fused. */
  readonly all: Int32Array
  readonly fused: Int32Array
  /** Per chain and spatial dimension (`chain × nDims + dimension`): instances used, loops on it. */
  readonly used: Float64Array
  readonly dimLoops: Int32Array
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

const restOf = (rest: Int32Array, tiles: Int32Array, offset: number): number => {
  let value = 1
  for (let f = 0; f < rest.length; f += 2) value *= power(tiles[offset + rest[f]!]!, rest[f + 1]!)
  return value
}
