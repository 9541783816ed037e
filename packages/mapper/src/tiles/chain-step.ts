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
 */
import type { LoopSlot } from "../template/template.ts"
import type { CapacityCheck } from "./capacity.ts"
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
   * Per (fused loops allowed, loops allowed, lowest level of each reach rule), as one index: the
   * live chains passing, built on first use. An array, not a Map: `candidates` reads it per row
   * (V8 keeps a very large and sparse one as a dictionary itself).
   */
  private readonly lists: Array<Int32Array | undefined>
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

  /** `reach`: the `min_usage` dimensions every row of the step must reach (see `candidates`). */
  constructor(shape: StepShape, v: number, own: ReadonlyArray<number>, chains: Int32Array, chainCounts: Float64Array, nChains: number, reach: ReadonlyArray<ReachRule>) {
    this.shape = shape
    this.v = v
    this.nChains = nChains
    const nDims = shape.fanouts.length
    this.nDims = nDims
    const k = own.length
    this.chainAll = new Int32Array(nChains)
    this.chainFused = new Int32Array(nChains)
    this.chainUsed = new Float64Array(nChains * nDims).fill(1)
    this.chainDimLoops = new Int32Array(nChains * nDims)
    const live: Array<number> = []
    const { limits } = shape
    for (let c = 0; c < nChains; c++) {
      for (let j = 0; j < k; j++) {
        const count = chainCounts[c * k + j]!
        if (count <= 1) continue
        const i = own[j]!
        this.chainAll[c]!++
        if (shape.loops[i]!.fused) this.chainFused[c]!++
        const d = shape.dimOf[i]!
        if (d >= 0) {
          this.chainUsed[c * nDims + d]! *= count
          this.chainDimLoops[c * nDims + d]!++
        }
      }
      let ok = this.chainFused[c]! <= limits.maxFusedLoops && this.chainFused[c]! <= limits.maxFusedLoopsPerRankVariable && this.chainAll[c]! <= limits.maxLoops
      for (let d = 0; d < nDims && ok; d++) ok = this.chainUsed[c * nDims + d]! <= shape.fanouts[d]! && this.chainDimLoops[c * nDims + d]! <= limits.maxLoopsPerSpatialDimension
      if (ok) live.push(c)
    }
    this.live = Int32Array.from(live)
    this.maxFused = live.reduce((m, c) => Math.max(m, this.chainFused[c]!), 0)
    this.maxAll = live.reduce((m, c) => Math.max(m, this.chainAll[c]!), 0)
    this.reach = reach
    this.levels = reach.map((rule) => Float64Array.from(new Set(live.map((c) => rule.part[c]!))).sort())
    this.levelOf = new Int32Array(reach.length * nChains)
    reach.forEach((rule, d) => {
      const index = new Map(Array.from(this.levels[d]!, (level, i) => [level, i]))
      for (const c of live) this.levelOf[d * nChains + c] = index.get(rule.part[c]!)!
    })
    this.lists = new Array((this.maxFused + 1) * (this.maxAll + 1) * this.levels.reduce((n, levels) => n * levels.length, 1))
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
    split.forEach((m, s) => {
      for (let c = 0; c < nChains; c++) {
        let value = 1
        for (let f = 0; f < m.own.length; f += 2) value *= power(chains[c * k + position[m.own[f]!]!]!, m.own[f + 1]!)
        this.ownPart[s * nChains + c] = value
      }
    })
    this.base = new Float64Array(memories)
    this.rowFactor = new Float64Array(split.length)
    this.splitRest = split.map((m) => m.rest)
    this.splitCoef = Float64Array.from(split, (m) => m.coef)
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
    return (this.lists[key] ??= this.passingChains(fused, all))
  }

  /** The live chains within `fused` and `all` loops and at or above the `lowest` level of every reach rule. */
  private passingChains(fused: number, all: number): Int32Array {
    const out: Array<number> = []
    for (const c of this.live) {
      let passes = this.chainFused[c]! <= fused && this.chainAll[c]! <= all
      for (let d = 0; d < this.reach.length && passes; d++) passes = this.levelOf[d * this.nChains + c]! >= this.lowest[d]!
      if (passes) out.push(c)
    }
    return Int32Array.from(out)
  }

  /**
   * Whether the row taken in by `setRow`, with chain `c` of its `candidates`, passes the other
   * rules (spatial fanouts and loops per dimension, capacity).
   */
  passes(c: number): boolean {
    const { shape, nDims } = this
    for (let d = 0; d < nDims; d++) {
      if (this.rowUsed[d]! * this.chainUsed[c * nDims + d]! > shape.fanouts[d]!) return false
      if (this.rowDimLoops[d]! + this.chainDimLoops[c * nDims + d]! > shape.limits.maxLoopsPerSpatialDimension) return false
    }
    const { base, limit, splitStart, rowFactor, ownPart, nChains } = this
    for (let m = 0; m < limit.length; m++) {
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
