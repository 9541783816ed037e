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
import { type BestEffortFloor, reachesMinUsage } from "./min-usage.ts"
import { power, type SplitMonomial, StepTables } from "./step-tables.ts"

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

/** A `min_usage` dimension the step's rows must reach: per chain, its factor of the dimension's instances used. */
export interface ReachRule {
  readonly part: Float64Array
  readonly fanout: number
  readonly minUsage: number
  /**
   * Instead of reaching `minUsage`: escaping this floor of a second pass's cut (its `cuts` false
   * at the usage). The floor only rises as the pass appends rows, so the chains it cuts when a
   * row comes in are cut for the rest of the row: leaving them out of the row's list drops no
   * row the pass keeps (it still checks each candidate against the risen floor).
   */
  readonly floor?: BestEffortFloor
}

/** Keys of a step's candidate lists up to which they are held in an array (more: in a Map). */
const ARRAY_KEYS = 1 << 10
/** Keys a step's lists may have at most (the key stays an exact integer): capacity levels stop there. */
const MAX_KEYS = 2 ** 48
/** Chains a step's lists hold at most (16 MB): a step of many rows could otherwise keep a list per row. */
const LISTED_CHAINS = 1 << 22

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
   * else every memory is summed per candidate (for a step of few rows, levels cost more than they save);
   * `tables`: the step's tables, shared by its passes (step-tables.ts).
   */
  constructor(
    shape: StepShape,
    v: number,
    own: ReadonlyArray<number>,
    chains: Int32Array,
    chainCounts: Float64Array,
    nChains: number,
    reach: ReadonlyArray<ReachRule>,
    withLevels = true,
    tables = new StepTables(shape, own, chains, chainCounts, nChains)
  ) {
    this.shape = shape
    this.v = v
    this.nChains = nChains
    const nDims = shape.fanouts.length
    this.nDims = nDims
    this.chainAll = tables.counted.all
    this.chainFused = tables.counted.fused
    this.chainUsed = tables.counted.used
    this.chainDimLoops = tables.counted.dimLoops
    const live = tables.live
    this.live = live
    this.maxFused = tables.maxFused
    this.maxAll = tables.maxAll
    this.reach = reach
    this.levelOf = new Int32Array(reach.length * nChains)
    this.levels = reach.map((rule, d) => levelsOf(rule.part, 0, live, this.levelOf, d * nChains))
    this.lowest = new Int32Array(reach.length)
    this.rowUsed = new Float64Array(nDims)
    this.rowDimLoops = new Int32Array(nDims)
    this.fixed = tables.fixed
    this.splitStart = tables.splitStart
    this.limit = tables.limit
    this.ownPart = tables.ownPart
    this.splitRest = tables.splitRest
    this.splitCoef = tables.splitCoef
    this.base = new Float64Array(tables.limit.length)
    this.rowFactor = new Float64Array(tables.splitCoef.length)
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
   * reach rule d, `reachesMinUsage(rowReach[d] × part[c] / fanout, minUsage)` (or, for a floor's
   * rule, not `floor.cuts` of that usage), in enumeration order. Products by a positive row
   * factor and division by the fanout keep the order of the chains' factors, and both tests are
   * thresholds on the usage, so the chains passing a rule are exactly those from some level up.
   */
  candidates(rowReach: Float64Array): Int32Array {
    const { limits } = this.shape
    const fused = Math.min(limits.maxFusedLoops - this.rowFused, this.maxFused)
    const all = Math.min(limits.maxLoops - this.rowAll, this.maxAll)
    if (fused < 0 || all < 0) return ChainStep.NONE
    let key = fused * (this.maxAll + 1) + all
    for (let d = 0; d < this.reach.length; d++) {
      const { fanout, minUsage, floor } = this.reach[d]!
      const levels = this.levels[d]!
      let level = 0
      if (floor === undefined) while (level < levels.length && !reachesMinUsage((rowReach[d]! * levels[level]!) / fanout, minUsage)) level++
      else while (level < levels.length && floor.cuts((rowReach[d]! * levels[level]!) / fanout)) level++
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
    // Written into the step's scratch and copied out at its length (indexed: a list is built
    // cold, per new key, where an array grown by pushes and an iterator per chain cost).
    const live = this.live
    const out = (this.passing ??= new Int32Array(live.length))
    let n = 0
    for (let x = 0; x < live.length; x++) {
      const c = live[x]!
      let passes = this.chainFused[c]! <= fused && this.chainAll[c]! <= all
      for (let d = 0; d < this.reach.length && passes; d++) passes = this.levelOf[d * this.nChains + c]! >= this.lowest[d]!
      if (passes && this.capacityLevels.admits(c)) out[n++] = c
    }
    return out.slice(0, n)
  }

  /** Scratch of `passingChains`: room for every live chain. */
  private passing: Int32Array | undefined

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

const restOf = (rest: Int32Array, tiles: Int32Array, offset: number): number => {
  let value = 1
  for (let f = 0; f < rest.length; f += 2) value *= power(tiles[offset + rest[f]!]!, rest[f + 1]!)
  return value
}
