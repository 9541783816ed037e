/**
 * Collects joined rows of one compatibility in arrival order, then Pareto-prunes them into a
 * JoinGroup. Compared columns: objectives, right and left reservations; keep-first on exact
 * ties, so arrival order decides among equals.
 *
 * Rows are stored row-major in one growable Float64Array (objectives, right, left, sizes) and
 * one Int32Array (choices, attach): a join step fills tens of thousands of builders with
 * millions of rows, and a typed array per column made growth and garbage collection a third of
 * the join's time (two_level × transformer_block). The finished group's columns are views into
 * one buffer per type for the same reason.
 */
import type { Compatibility } from "../compatibility/compatibility.ts"
import type { Goal, ParetoOptions } from "../pareto/index.ts"
import type { PruneFunction } from "../service/pareto-pruner.ts"
import type { JoinGroup } from "./join-group.ts"

const INITIAL_ROWS = 16

/** `count` columns of `rows` values each, as views into one buffer. */
const columnViews = <T extends Float64Array | Int32Array>(buffer: T, count: number, rows: number, from = 0): Array<T> =>
  Array.from({ length: count }, (_, c) => buffer.subarray((from + c) * rows, (from + c + 1) * rows) as T)

export class RowBuilder {
  readonly compatibility: Compatibility
  readonly depth: number
  generated = 0
  rows = 0
  private readonly objectiveCount: number
  private readonly rightCount: number
  private readonly leftCount: number
  private readonly sizeCount: number
  private readonly einsums: number
  /** Values per row: objectives, right, left, sizes. */
  private readonly floatWidth: number
  private floats: Float64Array
  /** Per row: the choice of each Einsum, then its attach depth. */
  private ints: Int32Array

  constructor(compatibility: Compatibility, depth: number, objectives: number, memories: number, einsums: number) {
    this.compatibility = compatibility
    this.depth = depth
    this.objectiveCount = objectives
    this.rightCount = memories * (depth + 2)
    this.leftCount = memories * (depth + 1)
    this.sizeCount = compatibility.tensors.length
    this.einsums = einsums
    this.floatWidth = objectives + this.rightCount + this.leftCount + this.sizeCount
    this.floats = new Float64Array(INITIAL_ROWS * this.floatWidth)
    this.ints = new Int32Array(INITIAL_ROWS * 2 * einsums)
  }

  /** One row: the left side's choices (row `leftRow`) extended by the next Einsum's row. */
  push(
    objectives: Float64Array, right: Float64Array, left: Float64Array, sizes: Float64Array,
    leftChoices: ReadonlyArray<Int32Array>, leftAttach: ReadonlyArray<Int32Array>, leftRow: number, row: number, attach: number
  ): void {
    if ((this.rows + 1) * this.floatWidth > this.floats.length || (this.rows + 1) * 2 * this.einsums > this.ints.length) this.grow()
    const floats = this.floats
    let at = this.rows * this.floatWidth
    for (let c = 0; c < this.objectiveCount; c++) floats[at++] = objectives[c]!
    for (let c = 0; c < this.rightCount; c++) floats[at++] = right[c]!
    for (let c = 0; c < this.leftCount; c++) floats[at++] = left[c]!
    for (let c = 0; c < this.sizeCount; c++) floats[at++] = sizes[c]!
    const ints = this.ints
    const last = leftChoices.length
    const base = this.rows * 2 * this.einsums
    for (let e = 0; e < last; e++) {
      ints[base + e] = leftChoices[e]![leftRow]!
      ints[base + this.einsums + e] = leftAttach[e]![leftRow]!
    }
    ints[base + last] = row
    ints[base + this.einsums + last] = attach
    this.rows++
  }

  /** The Pareto-optimal rows as a group (`generated` counts the rows before pruning). */
  finish(prune: PruneFunction, options: ParetoOptions = {}): JoinGroup {
    const n = this.rows
    const comparedCount = this.objectiveCount + this.rightCount + this.leftCount
    const compared = columnViews(this.transposed(this.floats, this.floatWidth, comparedCount, n), comparedCount, n)
    const keep = comparedCount === 0 ? Int32Array.from({ length: Math.min(n, 1) }, (_, i) => i) : prune(compared, compared.map((): Goal => "min"), options)
    const kept = keep.length
    const floats = columnViews(this.transposed(this.floats, this.floatWidth, this.floatWidth, kept, keep), this.floatWidth, kept)
    const ints = columnViews(this.transposed(this.ints, 2 * this.einsums, 2 * this.einsums, kept, keep), 2 * this.einsums, kept)
    let at = 0
    const take = <T>(columns: Array<T>, count: number): Array<T> => columns.slice(at, (at += count))
    const objectives = take(floats, this.objectiveCount)
    const right = take(floats, this.rightCount)
    const left = take(floats, this.leftCount)
    const sizes = take(floats, this.sizeCount)
    return {
      compatibility: this.compatibility,
      depth: this.depth,
      rows: kept,
      generated: this.generated,
      objectives, right, left, sizes,
      choices: ints.slice(0, this.einsums),
      attach: ints.slice(this.einsums)
    }
  }

  /** The first `count` values of `length` rows (the given ones, else the first), column-major: column c at `c * length`. */
  private transposed<T extends Float64Array | Int32Array>(data: T, width: number, count: number, length: number, rows?: Int32Array): T {
    const out = (data instanceof Float64Array ? new Float64Array(count * length) : new Int32Array(count * length)) as T
    for (let i = 0; i < length; i++) {
      const from = (rows === undefined ? i : rows[i]!) * width
      for (let c = 0; c < count; c++) out[c * length + i] = data[from + c]!
    }
    return out
  }

  private grow(): void {
    const floats = new Float64Array(this.floats.length * 2)
    floats.set(this.floats)
    this.floats = floats
    const ints = new Int32Array(this.ints.length * 2)
    ints.set(this.ints)
    this.ints = ints
  }
}
