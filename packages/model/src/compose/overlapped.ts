/**
 * Modes `writeback` and `pipeline` as columns the join carries (docs/overlapped-latency.md §7):
 * latency stops being a sum, so a row carries the state of the fused nest instead: one level
 * record (compose/overlap.ts) per open fused loop, outermost first. Joining the next Einsum
 * places the previous one (now that the loops it shares with both neighbours are known), appends
 * it to the level of its innermost fused loop, and closes every level the Einsum after it no
 * longer shares, into one stage of the level above. After the last Einsum only the root level
 * is left, and the latency is its critical path plus the deferred work still queued.
 *
 * Columns: dynamic energy (added), leak power (maxed: the arch leaks for the whole latency),
 * whether the row is still one Einsum not yet placed (carried), then `maxDepth + 1` level
 * records (carried). A row of one Einsum keeps its critical and total busy times per component
 * in its first record until the join places it.
 *
 * Why pruning stays exact: the latency is non-decreasing in every number of every record (each
 * formula is monotone, and a level's SHORT count is lower when more stages may pipeline), the
 * energy in dynamic energy, leak power and latency. Rows the join groups together share their
 * open loops (the compatibility holds them), so their records line up level by level.
 */
import { type Column, type Composition, type CompositionShape, type JoinContext, type OverlapMode, type RowCombiner, type SharedLoop, type Totals, iterationsOf } from "./composition.ts"
import type { EinsumCosts } from "./einsum-costs.ts"
import { appendStage, closeIntoParent, einsumStage, emptyLevel, forgetOpenLevels, levelLatency, levelSize, periodsAtRest, periodsResumed } from "./overlap.ts"
import { overlapLatencyBound } from "./overlap-bound.ts"
import { SEQUENTIAL } from "./sequential.ts"

const DYNAMIC = 0
const LEAK_POWER = 1
const UNPLACED = 2
const LEVELS = 3

const stateColumns = (shape: CompositionShape): Array<Column> => [
  { name: "dynamicEnergy", combine: "add" },
  { name: "leakPower", combine: "max" },
  ...Array.from({ length: 1 + (shape.maxDepth + 1) * levelSize(shape.components.length) }, (): Column => ({ name: "overlapState", combine: "carry" }))
]

/** The fold over Einsums on one row's numbers (`state`, laid out as the columns). */
class NestFold {
  readonly components: number
  readonly size: number
  readonly stage: Float64Array
  readonly mode: OverlapMode
  readonly maxDepth: number
  readonly deferring: Uint8Array
  /** The open levels' loop counts (level 0, the root: 1), refilled per placement. */
  readonly loops: Float64Array

  constructor(mode: OverlapMode, shape: CompositionShape) {
    this.mode = mode
    this.components = shape.components.length
    this.size = levelSize(this.components)
    this.stage = new Float64Array(this.size)
    this.maxDepth = shape.maxDepth
    this.loops = new Float64Array(shape.maxDepth + 1)
    this.deferring = Uint8Array.from(shape.components, (c) => (shape.deferring === undefined || shape.deferring.includes(c) ? 1 : 0))
  }

  levelAt(depth: number): number {
    return LEVELS + depth * this.size
  }

  clear(state: Float64Array): void {
    for (let d = 0; d <= this.maxDepth; d++) emptyLevel(state, this.levelAt(d), this.components)
  }

  /**
   * Place an Einsum (its per-component critical and total busy times at `from` in `costs`,
   * critical first) that shares `shared` loops with the Einsum before it and `next` with the one
   * after, then close the levels the next one does not share.
   */
  place(state: Float64Array, costs: ArrayLike<number>, from: number, shared: ReadonlyArray<SharedLoop>, next: ReadonlyArray<SharedLoop>): void {
    const pipelining = this.mode === "pipeline"
    // Rule 7: the first level under the root rests with its periods as root paths.
    if (pipelining && shared.length > 0 && iterationsOf(shared[0]!) > 1) {
      periodsResumed(state, this.levelAt(0), this.levelAt(1), this.components, iterationsOf(shared[0]!))
    }
    const nest = next.length > shared.length ? next : shared
    const depth = nest.length
    if (depth > this.maxDepth) throw new Error(`a fused nest of ${depth} loops is deeper than the ${this.maxDepth} this composition was laid out for`)
    let invocations = 1
    for (const loop of nest) invocations *= iterationsOf(loop)
    const C = this.components
    einsumStage(this.stage, 0, C, costs, from, costs, from + C, invocations)
    appendStage(state, this.levelAt(depth), this.stage, 0, C)
    for (let d = depth; d > next.length; d--) {
      const parentLoop = d === 1 ? 1 : iterationsOf(nest[d - 2]!)
      closeIntoParent(state, this.levelAt(d), this.levelAt(d - 1), C, iterationsOf(nest[d - 1]!), pipelining, d === 1, parentLoop)
    }
    this.loops[0] = 1
    for (let d = 1; d <= next.length; d++) this.loops[d] = iterationsOf(next[d - 1]!)
    forgetOpenLevels(state, this.levelAt(0), C, this.deferring, pipelining, next.length, this.loops)
    if (pipelining && next.length > 0 && this.loops[1]! > 1) periodsAtRest(state, this.levelAt(0), this.levelAt(1), C, this.loops[1]!)
  }
}

export const overlapComposition = (mode: OverlapMode, shape: CompositionShape): Composition => {
  const fold = new NestFold(mode, shape)
  const C = shape.components.length
  const layout = stateColumns(shape)
  const width = layout.length
  const indexOf = new WeakMap<ReadonlyArray<string>, Int32Array>()
  const componentIndex = (names: ReadonlyArray<string>): Int32Array => {
    let index = indexOf.get(names)
    if (index === undefined) {
      index = Int32Array.from(names, (name) => {
        const i = shape.components.indexOf(name)
        if (i < 0) throw new Error(`component ${name} is not in the composition's layout (${shape.components.join(", ")})`)
        return i
      })
      indexOf.set(names, index)
    }
    return index
  }
  const checked = (columns: ReadonlyArray<Column>) => {
    if (columns.length !== width) throw new Error(`mode ${mode} composes its own ${width} columns, got ${columns.length}`)
  }

  /** One Einsum, not yet placed: critical then total busy times over all its instances, in the first record. */
  const einsumValues = (columns: ReadonlyArray<Column>, costs: EinsumCosts, out: Float64Array, offset = 0): void => {
    checked(columns)
    out.fill(0, offset, offset + width)
    const n = costs.nInstances
    out[offset + DYNAMIC] = costs.dynamicEnergy * n
    let leak = 0
    for (let c = 0; c < costs.leakPower.length; c++) leak += costs.leakPower[c]!
    out[offset + LEAK_POWER] = leak
    out[offset + UNPLACED] = 1
    const index = componentIndex(costs.components)
    const first = offset + LEVELS
    for (let i = 0; i < index.length; i++) {
      out[first + index[i]!] = out[first + index[i]!]! + costs.criticalLatency[i]! * n
      if (fold.deferring[index[i]!] === 1) out[first + C + index[i]!] = out[first + C + index[i]!]! + costs.componentLatency[i]! * n
    }
    if (mode !== "pipeline") {
      // Without a pipeline only the Einsum's slowest critical component matters (its time on the critical path).
      let slowest = 0
      for (let c = 0; c < C; c++) slowest = Math.max(slowest, out[first + c]!)
      out.fill(0, first, first + C)
      out[first] = slowest
    }
  }

  const left = new Float64Array(width)
  const einsum = new Float64Array(2 * C)
  const combiner = (columns: ReadonlyArray<Column>): RowCombiner => {
    checked(columns)
    return (out, leftColumns, l, rightColumns, r, context: JoinContext) => {
      for (let c = 0; c < width; c++) left[c] = leftColumns[c]![l]!
      if (left[UNPLACED] === 1) {
        // The first Einsum: it shares nothing before it and `sharedLoops` after it.
        for (let c = 0; c < 2 * C; c++) einsum[c] = left[LEVELS + c]!
        fold.clear(left)
        left[UNPLACED] = 0
        fold.place(left, einsum, 0, [], context.sharedLoops)
      }
      for (let c = 0; c < 2 * C; c++) einsum[c] = rightColumns[LEVELS + c]![r]!
      fold.place(left, einsum, 0, context.sharedLoops, context.nextLoops)
      left[DYNAMIC] = left[DYNAMIC]! + rightColumns[DYNAMIC]![r]!
      left[LEAK_POWER] = Math.max(left[LEAK_POWER]!, rightColumns[LEAK_POWER]![r]!)
      out.set(left)
    }
  }

  const totals = (columns: ReadonlyArray<Column>, values: ArrayLike<number>): Totals => {
    checked(columns)
    const state = Float64Array.from(values)
    if (state[UNPLACED] === 1) {
      // A workload of one Einsum.
      const alone = state.slice(LEVELS, LEVELS + 2 * C)
      fold.clear(state)
      fold.place(state, alone, 0, [], [])
    }
    const latency = levelLatency(state, LEVELS, C)
    const leakEnergy = state[LEAK_POWER]! * latency
    const energy = state[DYNAMIC]! + leakEnergy
    return { energy, latency, dynamicEnergy: state[DYNAMIC]!, leakEnergy, edp: energy * latency }
  }

  return {
    mode,
    columns: () => layout,
    einsumLatency: SEQUENTIAL.einsumLatency,
    einsumValues,
    combiner,
    totals,
    // Pipeline: every component's critical time is a column; writeback: the total busy time of each deferring one.
    ownLatencyColumns: (names) => {
      const index = componentIndex(names)
      return Uint8Array.from(index, (c) => (mode === "pipeline" ? 1 : fold.deferring[c]!))
    },
    completionBound: {
      latency: overlapLatencyBound(mode, C, fold.deferring, { unplaced: UNPLACED, levels: LEVELS }),
      dynamicEnergy: DYNAMIC,
      leakPower: LEAK_POWER
    },
    forSearch: (other) => overlapComposition(mode, other)
  }
}

/** Before a search lays the columns out (evaluation only needs the mode). */
const UNSHAPED: CompositionShape = { components: [], maxDepth: 0 }

/** The composition of a mode. */
export const composition = (mode: OverlapMode = "none"): Composition => (mode === "none" ? SEQUENTIAL : overlapComposition(mode, UNSHAPED))
