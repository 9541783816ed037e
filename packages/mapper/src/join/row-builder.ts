/**
 * Collects joined rows of one compatibility in arrival order, then Pareto-prunes them into a
 * JoinGroup. Compared columns: objectives, right and left reservations; keep-first on exact
 * ties, so arrival order decides among equals.
 *
 * Rows are stored row-major in chunks of Float64Array (objectives, right, left, sizes) and of
 * Int32Array (the trail link: parent node, row id, attach depth): a join step fills tens of thousands of builders with millions
 * of rows, and a typed array per column made growth and garbage collection a third of the
 * join's time (two_level × transformer_block), doubling one buffer then cost a sixth in
 * copies, and even one small typed array per builder cost a quarter (each has its own backing
 * store). Chunks double in size up to a cap, are never copied, and are views of large slabs a
 * join step shares (`JoinSpace`); the finished group's columns are views too.
 */
import type { Compatibility } from "../compatibility/compatibility.ts"
import type { Goal, ParetoOptions } from "../pareto/index.ts"
import type { PruneFunction } from "../service/pareto-pruner.ts"
import type { JoinGroup } from "./join-group.ts"
import { Sieve } from "./sieve.ts"
import type { Trail } from "./trail.ts"

const FIRST_CHUNK_ROWS = 16
const MAX_CHUNK_ROWS = 16384
const FIRST_SLAB_LENGTH = 1 << 10
const MAX_SLAB_LENGTH = 1 << 22

/** The length of a Slabs' `i`-th slab: the same sequence in every Slabs, so a kept slab is the length a new one would be. */
const slabLength = (i: number): number => Math.min(MAX_SLAB_LENGTH, FIRST_SLAB_LENGTH * 2 ** i)

/**
 * Typed-array space handed out as views of slabs that grow up to a cap (one backing store per
 * slab). `rewind` hands the same slabs out again (their views must be dead by then): a join
 * step's formed rows die with the step, and allocating fresh slabs for every step's hundreds
 * of megabytes made the garbage collector mark the heap again and again.
 *
 * A slab is made when first needed and the first is small: a join is also run for a handful of
 * rows (sa and ga join one pmapping per Einsum for every mapping they propose), and five slabs
 * of 2^16 values made up front for each such join were half the CPU of those searches.
 */
export class Slabs<T extends Float64Array | Int32Array> {
  private readonly make: (length: number) => T
  /** Slab `i` (length `slabLength(i)`), or undefined while no take has needed it. */
  private readonly slabs: Array<T | undefined> = []
  private index = 0
  private used = 0

  constructor(make: (length: number) => T) {
    this.make = make
  }

  /** `length` values: zeros in a fresh slab, whatever was there in a rewound one. */
  take(length: number): T {
    let slab = this.slabs[this.index]
    if (slab === undefined || this.used + length > slab.length) {
      if (length > MAX_SLAB_LENGTH) return this.make(length)
      // The next slab of the sequence that holds `length`; a smaller one is skipped (and not made).
      let next = slab === undefined ? this.index : this.index + 1
      while (slabLength(next) < length) next++
      this.index = next
      slab = this.slabs[next] ?? this.make(slabLength(next))
      this.slabs[next] = slab
      this.used = 0
    }
    const view = slab.subarray(this.used, this.used + length) as T
    this.used += length
    return view
  }

  /** Hand the slabs out again from the start: every view taken so far is dead. */
  rewind(): void {
    this.index = 0
    this.used = 0
  }
}

const float64Slabs = () => new Slabs((n) => new Float64Array(n))
const int32Slabs = () => new Slabs((n) => new Int32Array(n))

/**
 * The space of a join's builders: their rows (dropped with the step, the space reused by the
 * next: `nextStep`) and the rows they keep (alive as long as the groups made from them).
 */
export class JoinSpace {
  /**
   * Whether builders drop a row that one of their recent rows already weakly dominates, as it
   * arrives (`Sieve`): only when the pruner is the exact front, which would drop it anyway.
   */
  readonly sieve: boolean
  readonly rows = float64Slabs()
  readonly rowInts = int32Slabs()
  kept = float64Slabs()
  keptInts = int32Slabs()
  readonly sieves = float64Slabs()
  /** The compared columns of the group being pruned (reused: a pruner does not keep its input). */
  private scratch = new Float64Array(0)
  /** The kept rows' trail links while they become nodes (reused likewise). */
  private intScratch = new Int32Array(0)

  constructor(sieve = false) {
    this.sieve = sieve
  }

  /** A new step: the last step's formed rows are dead, its kept rows live on in its groups. */
  nextStep(): void {
    this.rows.rewind()
    this.rowInts.rewind()
    this.sieves.rewind()
    this.kept = float64Slabs()
    this.keptInts = int32Slabs()
  }

  scratchOf(length: number): Float64Array {
    if (this.scratch.length < length) this.scratch = new Float64Array(Math.max(length, 2 * this.scratch.length))
    return this.scratch.subarray(0, length)
  }

  intScratchOf(length: number): Int32Array {
    if (this.intScratch.length < length) this.intScratch = new Int32Array(Math.max(length, 2 * this.intScratch.length))
    return this.intScratch.subarray(0, length)
  }
}

/** Rows of `width` numbers, appended in chunks that double up to a cap (never copied). */
class ChunkedRows<T extends Float64Array | Int32Array> {
  readonly width: number
  readonly chunks: Array<T> = []
  /** The chunk being filled, and the offset of the next row in it. */
  current: T
  at = 0
  private readonly space: Slabs<T>

  constructor(width: number, space: Slabs<T>) {
    this.width = width
    this.space = space
    this.current = space.take(FIRST_CHUNK_ROWS * width)
    this.chunks.push(this.current)
  }

  /** Makes room for one more row (then write it at `current[at..]` and advance `at`). */
  reserve(): void {
    if (this.at + this.width <= this.current.length) return
    const rows = Math.min(MAX_CHUNK_ROWS, 2 * (this.current.length / this.width))
    this.current = this.space.take(rows * this.width)
    this.chunks.push(this.current)
    this.at = 0
  }

  /**
   * The first `count` values of `length` rows, ascending (the given ones, else the first),
   * written to `out` column-major: column c at `c * length`.
   */
  transposed(out: T, count: number, length: number, rows?: Int32Array): T {
    const width = this.width
    let chunk = 0
    let chunkStart = 0
    let chunkRows = this.chunks[0]!.length / width
    for (let i = 0; i < length; i++) {
      const row = rows === undefined ? i : rows[i]!
      while (row >= chunkStart + chunkRows) {
        chunkStart += chunkRows
        chunkRows = this.chunks[++chunk]!.length / width
      }
      const data = this.chunks[chunk]!
      const from = (row - chunkStart) * width
      for (let c = 0; c < count; c++) out[c * length + i] = data[from + c]!
    }
    return out
  }
}

/** `count` columns of `rows` values each, as views into one buffer. */
const columnViews = <T extends Float64Array | Int32Array>(buffer: T, count: number, rows: number, from = 0): Array<T> =>
  Array.from({ length: count }, (_, c) => buffer.subarray((from + c) * rows, (from + c + 1) * rows) as T)

export class RowBuilder {
  readonly compatibility: Compatibility
  readonly depth: number
  generated = 0
  /** Rows kept for the pruner, and rows pushed (the sieve drops some at once). */
  rows = 0
  formed = 0
  private readonly objectiveCount: number
  private readonly rightCount: number
  private readonly leftCount: number
  private readonly sizeCount: number
  private readonly einsums: number
  private readonly trail: Trail
  /** Per row: objectives, right, left, sizes. */
  private readonly floats: ChunkedRows<Float64Array>
  /** Per row: the trail node it extends, the new Einsum's row id and its attach depth. */
  private readonly ints: ChunkedRows<Int32Array>

  private readonly space: JoinSpace
  /** Recent rows that a new row is tested against (undefined: every row is kept for the pruner). */
  private readonly sieve: Sieve | undefined

  constructor(
    compatibility: Compatibility, depth: number, objectives: number, memories: number, einsums: number, trail: Trail, space = new JoinSpace()
  ) {
    this.compatibility = compatibility
    this.depth = depth
    this.objectiveCount = objectives
    this.rightCount = memories * (depth + 2)
    this.leftCount = memories * (depth + 1)
    this.sizeCount = compatibility.tensors.length
    this.einsums = einsums
    this.trail = trail
    this.space = space
    this.floats = new ChunkedRows(objectives + this.rightCount + this.leftCount + this.sizeCount, space.rows)
    this.ints = new ChunkedRows(3, space.rowInts)
    const compared = objectives + this.rightCount + this.leftCount
    this.sieve = space.sieve && compared > 0 ? new Sieve(compared, space.sieves) : undefined
  }

  /** Whether rows are sieved as they arrive (then `dominated` answers from the sieve). */
  get sieving(): boolean {
    return this.sieve !== undefined
  }

  /** Whether a row the sieve holds is `≤` these values everywhere (nothing is held or stored). */
  dominated(objectives: Float64Array, right: Float64Array, left: Float64Array): boolean {
    return this.sieve !== undefined && this.sieve.covers(objectives, right, left, false)
  }

  /** One row: trail node `parent` (-1 for the first Einsum) extended by the next Einsum's row. */
  push(
    objectives: Float64Array, right: Float64Array, left: Float64Array, sizes: Float64Array, parent: number, row: number, attach: number
  ): void {
    this.formed++
    if (this.sieve !== undefined && this.sieve.covers(objectives, right, left)) return
    this.floats.reserve()
    const floats = this.floats.current
    let at = this.floats.at
    for (let c = 0; c < this.objectiveCount; c++) floats[at++] = objectives[c]!
    for (let c = 0; c < this.rightCount; c++) floats[at++] = right[c]!
    for (let c = 0; c < this.leftCount; c++) floats[at++] = left[c]!
    for (let c = 0; c < this.sizeCount; c++) floats[at++] = sizes[c]!
    this.floats.at = at
    this.ints.reserve()
    const ints = this.ints.current
    const base = this.ints.at
    ints[base] = parent
    ints[base + 1] = row
    ints[base + 2] = attach
    this.ints.at = base + 3
    this.rows++
  }

  /** The Pareto-optimal rows as a group (`generated` counts the rows before pruning). */
  finish(prune: PruneFunction, options: ParetoOptions = {}): JoinGroup {
    const n = this.rows
    const comparedCount = this.objectiveCount + this.rightCount + this.leftCount
    const compared = columnViews(this.floats.transposed(this.space.scratchOf(comparedCount * n), comparedCount, n), comparedCount, n)
    const keep = comparedCount === 0 ? Int32Array.from({ length: Math.min(n, 1) }, (_, i) => i) : prune(compared, compared.map((): Goal => "min"), options)
    const kept = keep.length
    const floats = columnViews(this.floats.transposed(this.space.kept.take(this.floats.width * kept), this.floats.width, kept, keep), this.floats.width, kept)
    const ints = this.ints.transposed(this.space.intScratchOf(3 * kept), 3, kept, keep)
    const trail = this.trail
    const nodes = this.space.keptInts.take(kept)
    for (let r = 0; r < kept; r++) nodes[r] = trail.add(ints[r]!, ints[kept + r]!, ints[2 * kept + r]!)
    let at = 0
    const take = <T>(columns: Array<T>, count: number): Array<T> => columns.slice(at, (at += count))
    const objectives = take(floats, this.objectiveCount)
    const right = take(floats, this.rightCount)
    const left = take(floats, this.leftCount)
    const sizes = take(floats, this.sizeCount)
    const einsums = this.einsums
    let chains: ReturnType<Trail["chains"]> | undefined
    const chainsOf = () => (chains ??= trail.chains(nodes, einsums))
    return {
      compatibility: this.compatibility,
      depth: this.depth,
      rows: kept,
      generated: this.generated,
      objectives, right, left, sizes,
      nodes, trail, einsums,
      get choices() {
        return chainsOf().choices
      },
      get attach() {
        return chainsOf().attach
      }
    }
  }
}
