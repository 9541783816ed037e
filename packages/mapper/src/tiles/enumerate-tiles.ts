/**
 * Tile-shape enumeration for one template (FFM §3, numeric form of §9.3): rank variable by
 * rank variable, every divisor chain of its loops is appended to every surviving partial row,
 * and rows that can no longer be valid are dropped at once. Each check is sound for partial
 * rows: spatial instances and loop counts only grow as more variables are fixed, and a
 * reservation's occupancy (the model's, as a polynomial: capacity.ts) only grows with its
 * tiles, so an unknown tile is taken at its smallest (1).
 *
 * Rows live in one Int32Array (`rows × loops` tiles); per-row state in typed arrays. Each
 * step checks its candidates incrementally (chain-step.ts): per partial row once, per chain
 * once, and per candidate only sums and products, so no candidate allocates.
 */
import { loopCounter } from "@effect-accelforge/model"
import type { LoopSlot, Template } from "../template/template.ts"
import type { CapacityCheck } from "./capacity.ts"
import { ChainStep, type StepShape } from "./chain-step.ts"
import { StepTables } from "./step-tables.ts"
import { divisorChains, templateTileShapes } from "./divisor-chains.ts"
import { type Budget, checkBudget } from "../generate/limits.ts"
import { bestEffortCut, BestEffortFloor, keepsUsage, reachesMinUsage } from "./min-usage.ts"
import { distinctAscending } from "./distinct-values.ts"
import type { PartialPruner } from "./partial-pruning.ts"

export interface TileLimits {
  readonly maxFusedLoops: number
  readonly maxFusedLoopsPerRankVariable: number
  /** Loops (of more than one iteration) in the whole pmapping: `max_loops`, and `max_loops_minus_ranks` over the rank variables. */
  readonly maxLoops: number
  /** `tiling_coarseness`: candidate tiles of a loop grow by at least this factor (1: every divisor). */
  readonly tilingCoarseness: number
  readonly maxLoopsPerSpatialDimension: number
}

export interface TileRows {
  readonly loops: number
  readonly count: number
  /** `count × loops` tile shapes, row-major. */
  readonly tiles: Int32Array
  /** Analytic size of the template's tile space (product of divisor-chain counts). */
  readonly total: number
  /** Partial and complete rows looked at, summed over the enumeration steps. */
  readonly evaluated: number
}

interface SpatialDimension {
  readonly component: string
  readonly dimension: string
  readonly fanout: number
}

const spatialDimensions = (template: Template): Array<SpatialDimension> => {
  const out: Array<SpatialDimension> = []
  template.arch.nodes.forEach((c) => {
    for (const s of c.spatial) if (s.fanout > 1) out.push({ component: c.name, dimension: s.name, fanout: s.fanout })
  })
  return out
}

/** The template's loop counter (the model's, model analysis/loop-counts.ts). */
export const templateLoopCounter = (template: Template, bounds: ReadonlyMap<string, number>) =>
  loopCounter(template.loopPositions.map((p) => (template.nodes[p] as LoopSlot).rankVariable), bounds)

/** Partial rows below this many are not worth a Pareto pass; above the chunk size, prune mid-step to bound memory. */
const PRUNE_AT_LEAST = 256
const PRUNE_CHUNK = 1 << 20
/**
 * Rows a step takes in for its capacity levels (chain-step.ts, capacity-levels.ts) to be built:
 * levels cost a pass over the live chains per memory, and save a row only its failing
 * candidates' sums (45% of eyeriss 6.7B prefill's steps take in fewer than 8 rows; 1% of its
 * rows are in steps of fewer than 32).
 */
const LEVELS_FROM_ROWS = 32

/**
 * Rows of one step, reused from step to step and template to template: an enumeration fills
 * one buffer from the other and filters in place, so a search does not allocate (and fault in,
 * and copy into) a new buffer at every step, every mid-step prune and every doubling (6% of
 * the GPT-3 175B search, and garbage for the collector). The rows and their order are those a
 * fresh buffer would hold.
 */
class RowBuffer {
  data = new Int32Array(4096)
  count = 0
  width = 0
  /** Empties the buffer for rows of `width` tiles (its space stays). */
  reset(width: number): RowBuffer {
    this.width = width
    this.count = 0
    return this
  }
  /** Copies a row in (no allocation unless the buffer grows); returns where it starts. */
  append(source: Int32Array, offset: number): number {
    if ((this.count + 1) * this.width > this.data.length) {
      const bigger = new Int32Array(Math.max(this.data.length * 2, (this.count + 1) * this.width))
      bigger.set(this.data.subarray(0, this.count * this.width))
      this.data = bigger
    }
    const at = this.count * this.width
    for (let j = 0; j < this.width; j++) this.data[at + j] = source[offset + j]!
    this.count++
    return at
  }
  /** Keeps rows `keep` (ascending), in order, in place: each moves to a place no later than its own. */
  keepOnly(keep: ArrayLike<number>, n = keep.length): void {
    const { data, width } = this
    for (let x = 0; x < n; x++) {
      const from = keep[x]! * width
      const to = x * width
      if (from !== to) data.copyWithin(to, from, from + width)
    }
    this.count = n
  }
}

/** A step's divisor chains (`loops` tiles each) and their loop counts (loop j's: the tile above, or the bound, over its own). */
interface StepChains {
  readonly chains: Int32Array
  readonly counts: Float64Array
}

/** Divisor chains per (bound, loops, coarseness): the same few for every template of a workload (4% of a search when rebuilt per step). */
const chainsCache = new Map<string, StepChains>()
const stepChains = (bound: number, loops: number, coarseness: number): StepChains => {
  const key = `${bound}/${loops}/${coarseness}`
  let cached = chainsCache.get(key)
  if (cached === undefined) {
    const chains = divisorChains(bound, loops, coarseness)
    const nChains = loops === 0 ? 1 : chains.length / loops
    // The model's loop counter on the variable's own loops: the counts depend on the chain and the bound alone.
    const countChain = loopCounter(new Array<string>(loops).fill("v"), new Map([["v", bound]]))
    const counts = new Float64Array(Math.max(1, nChains * loops))
    const oneChain = new Float64Array(loops)
    for (let c = 0; c < nChains; c++) counts.set(countChain(chains, c * loops, oneChain), c * loops)
    cached = { chains, counts }
    chainsCache.set(key, cached)
  }
  return cached
}

/**
 * Space for the rows of an enumeration, for one search to pass to each of its `enumerateTiles`
 * calls: the rows a call returns live in it, valid until the next call given the same space.
 */
export class TileRowSpace {
  readonly first = new RowBuffer()
  readonly second = new RowBuffer()
}

const prune = (rows: RowBuffer, pruner: PartialPruner, known: Uint8Array): void => rows.keepOnly(pruner.prune(rows.data, rows.count, known))

/** A `min_usage` dimension completed at a step: its loops, fanout and the usage to reach. */
interface CompletedDimension {
  readonly loops: ReadonlyArray<number>
  readonly fanout: number
  readonly minUsage: number
}

/**
 * A dimension's usage is a product over its loops, each loop's count set by its own variable's
 * chain: this is the step's own variable's part, per chain (its counts on the dimension's loops,
 * multiplied in the own loops' order). The passes and the out-of-reach check take it from here,
 * so both compute the same numbers.
 */
const chainPartsOn = (m: CompletedDimension, own: ReadonlyArray<number>, chainCounts: Float64Array, nChains: number): Float64Array => {
  const k = own.length
  const part = new Float64Array(nChains).fill(1)
  const onDimension = Int32Array.from(own.flatMap((i, j) => (m.loops.includes(i) ? [j] : [])))
  // Indexed: this runs once per step and chain, mostly cold, where an array iterator per chain costs.
  for (let c = 0; c < nChains; c++) for (let x = 0; x < onDimension.length; x++) part[c]! *= chainCounts[c * k + onDimension[x]!]!
  return part
}

/** The dimension's loops that earlier variables set: the row's part of its usage is their counts' product. */
const rowLoopsOn = (m: CompletedDimension, own: ReadonlyArray<number>): Int32Array => Int32Array.from(m.loops.filter((i) => !own.includes(i)))

/**
 * A dimension completed at a step with its two parts' sources, made once per step: both passes
 * and the out-of-reach check read them (they were made again by each, 3 times per such step).
 */
interface DimensionAtStep {
  readonly dimension: CompletedDimension
  /** Per chain, the step's own variable's part (`chainPartsOn`). */
  readonly part: Float64Array
  /** The loops whose counts make a row's part (`rowLoopsOn`). */
  readonly rowLoops: Int32Array
}

const dimensionAtStep = (m: CompletedDimension, own: ReadonlyArray<number>, chainCounts: Float64Array, nChains: number): DimensionAtStep => ({
  dimension: m,
  part: chainPartsOn(m, own, chainCounts, nChains),
  rowLoops: rowLoopsOn(m, own)
})

export const enumerateTiles = (
  template: Template,
  variables: ReadonlyArray<string>,
  bounds: ReadonlyMap<string, number>,
  /** The capacity rule (undefined: checked only when rows are scored). */
  capacity: CapacityCheck | undefined,
  /** Per loop: whether it uses spatial instances (the model's rule). */
  usesInstances: ReadonlyArray<boolean>,
  limits: TileLimits,
  /** Checked every 2^16 candidate rows: one template's tile space can be vast. */
  budget?: Budget,
  where = "enumerating tile shapes",
  /** Cost-based pruning of partial rows (FFM §3.7); without it only validity prunes. */
  pruner?: PartialPruner,
  /** Steps with fewer rows than this skip the cost-based pruning (a Pareto pass is not worth it). */
  pruneAtLeast = PRUNE_AT_LEAST,
  /** Whether complete rows of templates with fused loops are pruned too (worth it only when scoring a row is costly). */
  pruneComplete = false,
  /** Where the rows live (see TileRowSpace); by default space of the call's own. */
  space = new TileRowSpace(),
  /** Steps with fewer rows than this check capacity per candidate, without levels. */
  levelsFromRows = LEVELS_FROM_ROWS
): TileRows => {
  const loops = template.loopPositions.map((p) => template.nodes[p] as LoopSlot)
  const width = loops.length
  const dims = spatialDimensions(template)
  const dimOf = loops.map((l, i) => (l.spatial && usesInstances[i] ? dims.findIndex((d) => d.component === l.component && d.dimension === l.dimension) : -1))
  const loopsOfVariable = variables.map((v) => loops.flatMap((l, i) => (l.rankVariable === v ? [i] : [])))
  const variableOfLoop = Int32Array.from(loops.map((l) => variables.indexOf(l.rankVariable)))
  const shape: StepShape = { loops, variableOfLoop, dimOf, fanouts: Float64Array.from(dims, (d) => d.fanout), capacity, limits }

  // min_usage is applied as soon as every loop of its dimension is chosen (AccelForge applies it when its formula is complete).
  const minUsage = template.minUsage.map((m) => {
    const own = loops.flatMap((l, i) => (l.spatial && l.component === m.component && l.dimension === m.dimension ? [i] : []))
    return { ...m, loops: own, completesAfter: own.length === 0 ? -1 : Math.max(...own.map((i) => variableOfLoop[i]!)) }
  })
  // Every row is kept in place when all reach the usage (the usual case: `expand` tries the
  // reaching candidates first).
  let computed = new Float64Array(0)
  let kept = new Int32Array(0)
  /**
   * The best-effort cut of each dimension completed at `step`, in order, on its usage per row:
   * `recorded[i]` (by `expand`, for the i-th dimension completed) when given, else computed
   * from each row's loop counts.
   */
  const withMinUsage = (out: RowBuffer, step: number, recorded: ReadonlyArray<Float64Array> | undefined): void => {
    minUsage.filter((m) => m.completesAfter === step).forEach((m, i) => {
      if (out.count === 0) return
      const usage = recorded?.[i] ?? usagesOf(out, m)
      const cut = bestEffortCut(usage, out.count, m.minUsage)
      if (cut.all) return
      if (kept.length < out.count) kept = new Int32Array(out.count)
      let n = 0
      for (let r = 0; r < out.count; r++) if (keepsUsage(cut, usage[r]!)) kept[n++] = r
      out.keepOnly(kept, n)
      // The later dimensions' usages follow their rows (kept is ascending: in place).
      for (const later of recorded?.slice(i + 1) ?? []) for (let x = 0; x < n; x++) later[x] = later[kept[x]!]!
    })
  }
  const usagesOf = (out: RowBuffer, m: { readonly loops: ReadonlyArray<number>; readonly fanout: number }): Float64Array => {
    if (computed.length < out.count) computed = new Float64Array(out.count)
    for (let r = 0; r < out.count; r++) {
      const counts = countsOf(out.data, r * width, countScratch)
      let used = 1
      for (let x = 0; x < m.loops.length; x++) used *= counts[m.loops[x]!]!
      computed[r] = used / m.fanout
    }
    return computed
  }
  // Per dimension completed at a step, the usage of each row of its second pass (see `expand`).
  const recordedUsage: Array<Float64Array> = []
  const countsOf = templateLoopCounter(template, bounds)
  const countScratch = new Float64Array(width)
  const known = new Uint8Array(width)
  const hasFusedLoops = loops.some((l) => l.fused)
  const total = templateTileShapes(loops.map((l) => l.rankVariable), bounds, limits.tilingCoarseness)
  let evaluated = 0
  let rows = space.first.reset(width)
  rows.append(new Int32Array(Math.max(1, width)).fill(1), 0)
  // Each step fills `next` from `rows`; then they swap (see RowBuffer).
  let next = space.second.reset(width)
  for (let v = 0; v < variables.length; v++) {
    const own = loopsOfVariable[v]!
    const bound = bounds.get(variables[v]!)!
    const { chains, counts: chainCounts } = stepChains(bound, own.length, limits.tilingCoarseness)
    const nChains = own.length === 0 ? 1 : chains.length / own.length
    for (const i of own) known[i] = 1
    const completing = minUsage.filter((m) => m.completesAfter === v).map((m) => dimensionAtStep(m, own, chainCounts, nChains))
    // Rows short of a min_usage completed here are dropped anyway when some row reaches it, so
    // try the reaching candidates alone first and skip the validity checks of the rest.
    // Both passes' chain steps share the step's tables.
    const tables = new StepTables(shape, own, chains, chainCounts, nChains)
    if (completing.length > 0 && someDimensionOutOfReach(rows, completing)) skipPass(next, rows.count * nChains)
    else expand(rows, next, v, own, chains, chainCounts, nChains, tables, completing, true)
    // Rows of the first pass all reach every dimension completed here, by the cut's own test on
    // the same number (a dimension's instances used is a product of loop counts, each a whole
    // number as tiles divide the tile or bound above them, so the product is exact in any
    // order): the cut would keep them all. Only the rows of the second pass need the cut.
    if (next.count === 0 && completing.length > 0) {
      const recorded = expand(rows, next, v, own, chains, chainCounts, nChains, tables, completing, false)
      withMinUsage(next, v, recorded ? recordedUsage : undefined)
    }
    // Complete rows are scored and Pareto-pruned on the true objectives next. Comparing every
    // cost's terms keeps a huge front slowly (O(rows × front) over dozens of columns: 60% of
    // the time on GPT-3 175B), so that is left to the true objectives, except when rows are
    // scored by the full model (then, with fused loops, the partitions are small and pruning
    // here saves scoring most rows) or the pruner is not the exact front (it prunes every stage).
    const complete = v === variables.length - 1
    if (pruner !== undefined && (!complete || (hasFusedLoops && pruneComplete)) && next.count >= pruneAtLeast) prune(next, pruner, known)
    const done = rows
    rows = next
    next = done
    if (rows.count === 0) break
  }
  return { loops: width, count: rows.count, tiles: rows.data.subarray(0, rows.count * width), total, evaluated }

  /**
   * Fills `next` (emptied first) with the rows of step `v` grown from `rows`: with `reachFirst`,
   * only those reaching every `completing` dimension; else all, each one's usage of each
   * `completing` dimension recorded in `recordedUsage` (returns whether it was: a mid-step prune
   * moves rows, and then the cut computes them).
   */
  function expand(
    rows: RowBuffer,
    next: RowBuffer,
    v: number,
    own: ReadonlyArray<number>,
    chains: Int32Array,
    chainCounts: Float64Array,
    nChains: number,
    tables: StepTables,
    completing: ReadonlyArray<DimensionAtStep>,
    reachFirst: boolean
  ): boolean {
    // `next` starts small and grows as needed: most candidate rows are dropped, so sizing for all of them can exhaust memory.
    next.count = 0
    // A dimension's usage: this variable's part (per chain) times the earlier variables' (per row).
    const reach = completing.map(({ dimension, part }) => ({ part, fanout: dimension.fanout, minUsage: dimension.minUsage }))
    const reachLoops = completing.map((m) => m.rowLoops)
    const rowPart = new Float64Array(completing.length)
    const record = reachFirst ? 0 : completing.length
    let recorded = true
    // The second pass's rows are cut on the first dimension's usage after it (withMinUsage): a
    // candidate that cut drops whatever comes after is neither checked nor appended, and a row
    // whose chains are all such (the row's part times the largest chain part bounds them) is
    // not taken in. Its chains are counted as looked at all the same.
    const floor = record > 0 ? new BestEffortFloor(reach[0]!.minUsage) : undefined
    // Every dimension to reach is checked by the step's chain lists; in the second pass, the
    // chains the floor cuts when a row comes in (most of its candidates on eyeriss 6.7B prefill)
    // are left out of the row's list by the first dimension's levels.
    const rules = reachFirst ? reach : floor !== undefined ? [{ ...reach[0]!, floor }] : []
    const step = new ChainStep(shape, v, own, chains, chainCounts, nChains, rules, rows.count >= levelsFromRows, tables)
    const firstPart = reach[0]?.part
    const firstFanout = reach[0]?.fanout ?? 1
    let largestFirstPart = 0
    for (let c = 0; firstPart !== undefined && c < nChains; c++) largestFirstPart = Math.max(largestFirstPart, firstPart[c]!)
    for (let r = 0; r < rows.count; r++) {
      const offset = r * width
      const counts = countsOf(rows.data, offset, countScratch)
      for (let d = 0; d < completing.length; d++) {
        let p = 1
        const l = reachLoops[d]!
        for (let j = 0; j < l.length; j++) p *= counts[l[j]!]!
        rowPart[d] = p
      }
      const before = evaluated
      evaluated += nChains
      if ((before >>> 16) !== (evaluated >>> 16)) checkBudget(budget, where)
      if (floor !== undefined && floor.cuts((rowPart[0]! * largestFirstPart) / firstFanout)) continue
      appendCandidates(rows, offset, counts, next, step, rowPart, floor, firstPart, firstFanout, record, reach, own, chains)
      // Every row of this step shares the same unknown variables, so pruning a part of them early is as sound as at the end.
      if (pruner !== undefined && next.count >= PRUNE_CHUNK) {
        prune(next, pruner, known)
        recorded = false
      }
    }
    return record > 0 && recorded
  }

  /**
   * One row's part of `expand`: its candidate chains checked and the passing ones appended to
   * `next`. A function of its own so that `expand` keeps one loop: V8 compiled the candidate loop
   * alone (on-stack replacement) and every row's exit from it fell back to the interpreter
   * (81 to 334 deopts a run on eyeriss 6.7B prefill in some runs).
   */
  function appendCandidates(
    rows: RowBuffer,
    offset: number,
    counts: Float64Array,
    next: RowBuffer,
    step: ChainStep,
    rowPart: Float64Array,
    floor: BestEffortFloor | undefined,
    firstPart: Float64Array | undefined,
    firstFanout: number,
    record: number,
    reach: ReadonlyArray<{ readonly part: Float64Array; readonly fanout: number }>,
    own: ReadonlyArray<number>,
    chains: Int32Array
  ): void {
    const k = own.length
    step.setRow(rows.data, offset, counts)
    const candidates = step.candidates(rowPart)
    for (let d = 0; d < record; d++) roomForUsage(d, next.count + candidates.length)
    for (let x = 0; x < candidates.length; x++) {
      const c = candidates[x]!
      if (floor !== undefined) {
        // The usage recorded below for the first dimension, the same number.
        const usage = (rowPart[0]! * firstPart![c]!) / firstFanout
        if (floor.cuts(usage) || !step.passes(c)) continue
        floor.add(usage)
      } else if (!step.passes(c)) continue
      const at = next.append(rows.data, offset)
      for (let j = 0; j < k; j++) next.data[at + own[j]!] = chains[c * k + j]!
      // The usage the cut computes from the row's loop counts, the same number: a product of
      // whole loop counts is exact in any order (see the first pass's comment above).
      for (let d = 0; d < record; d++) recordedUsage[d]![next.count - 1] = (rowPart[d]! * reach[d]!.part[c]!) / reach[d]!.fanout
    }
  }

  /**
   * Whether the first pass would take in no row: some dimension completed at this step that no
   * row of `rows` grown by any chain reaches within its fanout. A row's usage of the dimension
   * is its part (the product of the counts of its earlier variables' loops there) times the
   * chain's part, over the fanout, computed by the helpers `expand` uses (`chainPartsOn`,
   * `rowLoopsOn`, once per step: `DimensionAtStep`; the same products in the same order) for
   * every distinct row part and every chain (its live chains are some of them). The first pass keeps a candidate only when that usage reaches min_usage (`candidates`)
   * and, where every loop of the dimension uses instances, when the instances used are within
   * the fanout (`passes`: the same loops' counts, whole numbers, so their product is the same
   * number in any order). Where no pair passes both, skipping the pass changes nothing: it
   * would have appended no row. On eyeriss 6.7B prefill no first pass with a dimension to reach
   * took a row (PE dimensions of 12 and 14, counts that are powers of two).
   * A dimension whose loops do not all use instances (`withinFanout` false) is not bound by its
   * fanout here, as `passes` does not bind it: the model gives that only to a copy's loops, and
   * a copy has no min_usage (template/spatial-loops.ts), so only the enumeration reference test
   * reaches it, by taking every loop's instances away.
   */
  function someDimensionOutOfReach(rows: RowBuffer, completing: ReadonlyArray<DimensionAtStep>): boolean {
    return completing.some(({ dimension: m, part, rowLoops }) => {
      const parts = distinctAscending(part)
      const d = dimOf[m.loops[0]!]!
      const withinFanout = d >= 0 && shape.fanouts[d] === m.fanout && m.loops.every((i) => dimOf[i] === d)
      // Row parts are tried as they are met, so a dimension in reach ends at its first reaching
      // row: where the pass takes rows, the check costs next to nothing. Rows come in runs of one
      // part, so a part equal to the row before's is not tried again (no set lookup per row).
      let previous = NaN
      for (let r = 0; r < rows.count; r++) {
        const counts = countsOf(rows.data, r * width, countScratch)
        let rowPart = 1
        for (let j = 0; j < rowLoops.length; j++) rowPart *= counts[rowLoops[j]!]!
        if (rowPart === previous) continue
        previous = rowPart
        // Only the smallest chain part that reaches needs the fanout test: the usage, and the
        // instances used, grow with the chain part (a product and a division by a positive number
        // round monotonically, and the reach test is a threshold), so a larger part that reaches
        // uses no fewer instances.
        let x = 0
        while (x < parts.length && !reachesMinUsage((rowPart * parts[x]!) / m.fanout, m.minUsage)) x++
        if (x < parts.length && (!withinFanout || rowPart * parts[x]! <= m.fanout)) return false
      }
      return true
    })
  }

  /** A pass skipped as taking in no row: `next` left empty, as the pass leaves it; its chains count as looked at, as `expand` counts them (and the budget is checked as it would be). */
  function skipPass(next: RowBuffer, chainsLookedAt: number): void {
    next.count = 0
    const before = evaluated
    evaluated += chainsLookedAt
    if (Math.floor(before / 65536) !== Math.floor(evaluated / 65536)) checkBudget(budget, where)
  }

  /** Makes `recordedUsage[d]` hold at least `rows` rows (its rows kept). */
  function roomForUsage(d: number, rows: number): void {
    const buffer = recordedUsage[d]
    if (buffer !== undefined && buffer.length >= rows) return
    const bigger = new Float64Array(Math.max(1024, 2 * rows))
    if (buffer !== undefined) bigger.set(buffer)
    recordedUsage[d] = bigger
  }
}
