/**
 * Collects joined rows of one compatibility in arrival order (growable typed arrays), then
 * Pareto-prunes them into a JoinGroup. Compared columns: objectives, right and left
 * reservations; keep-first on exact ties, so arrival order decides among equals.
 */
import type { Compatibility } from "../compatibility/compatibility.ts"
import type { Goal, ParetoOptions } from "../pareto/index.ts"
import type { PruneFunction } from "../service/pareto-pruner.ts"
import type { JoinGroup } from "./join-group.ts"

class Column<T extends Float64Array | Int32Array> {
  data: T
  length = 0
  private readonly make: (n: number) => T
  constructor(make: (n: number) => T) {
    this.make = make
    this.data = make(16)
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = value
  }
  picked(rows: Int32Array): T {
    const out = this.make(rows.length)
    for (let i = 0; i < rows.length; i++) out[i] = this.data[rows[i]!]!
    return out
  }
}

const f64 = () => new Column((n) => new Float64Array(n))
const i32 = () => new Column((n) => new Int32Array(n))

export class RowBuilder {
  readonly compatibility: Compatibility
  readonly depth: number
  generated = 0
  private readonly objectives: Array<Column<Float64Array>>
  private readonly right: Array<Column<Float64Array>>
  private readonly left: Array<Column<Float64Array>>
  private readonly sizes: Array<Column<Float64Array>>
  private readonly choices: Array<Column<Int32Array>>
  private readonly attach: Array<Column<Int32Array>>

  constructor(compatibility: Compatibility, depth: number, objectives: number, memories: number, einsums: number) {
    this.compatibility = compatibility
    this.depth = depth
    this.objectives = Array.from({ length: objectives }, f64)
    this.right = Array.from({ length: memories * (depth + 2) }, f64)
    this.left = Array.from({ length: memories * (depth + 1) }, f64)
    this.sizes = compatibility.tensors.map(f64)
    this.choices = Array.from({ length: einsums }, i32)
    this.attach = Array.from({ length: einsums }, i32)
  }

  get rows(): number {
    return this.choices[0]?.length ?? this.objectives[0]?.length ?? 0
  }

  /** One row: the left side's choices (row `leftRow`) extended by the next Einsum's row. */
  push(
    objectives: Float64Array, right: Float64Array, left: Float64Array, sizes: Float64Array,
    leftChoices: ReadonlyArray<Int32Array>, leftAttach: ReadonlyArray<Int32Array>, leftRow: number, row: number, attach: number
  ): void {
    for (let c = 0; c < this.objectives.length; c++) this.objectives[c]!.push(objectives[c]!)
    for (let c = 0; c < this.right.length; c++) this.right[c]!.push(right[c]!)
    for (let c = 0; c < this.left.length; c++) this.left[c]!.push(left[c]!)
    for (let c = 0; c < this.sizes.length; c++) this.sizes[c]!.push(sizes[c]!)
    for (let e = 0; e < leftChoices.length; e++) {
      this.choices[e]!.push(leftChoices[e]![leftRow]!)
      this.attach[e]!.push(leftAttach[e]![leftRow]!)
    }
    this.choices[leftChoices.length]!.push(row)
    this.attach[leftChoices.length]!.push(attach)
  }

  /** The Pareto-optimal rows as a group (`generated` counts the rows before pruning). */
  finish(prune: PruneFunction, options: ParetoOptions = {}): JoinGroup {
    const n = this.rows
    const compared = [...this.objectives, ...this.right, ...this.left].map((c) => c.data.subarray(0, n))
    const keep = compared.length === 0 ? Int32Array.from({ length: Math.min(n, 1) }, (_, i) => i) : prune(compared, compared.map((): Goal => "min"), options)
    return {
      compatibility: this.compatibility,
      depth: this.depth,
      rows: keep.length,
      generated: this.generated,
      objectives: this.objectives.map((c) => c.picked(keep)),
      right: this.right.map((c) => c.picked(keep)),
      left: this.left.map((c) => c.picked(keep)),
      sizes: this.sizes.map((c) => c.picked(keep)),
      choices: this.choices.map((c) => c.picked(keep)),
      attach: this.attach.map((c) => c.picked(keep))
    }
  }
}
