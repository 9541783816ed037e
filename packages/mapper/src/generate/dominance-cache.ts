/**
 * A few rows of one group (their compared columns), to drop a new row before it is fully
 * scored: when a lower bound of every compared column of the new row is no smaller than a
 * cached row's value, and the cached row comes first in the group's order or is smaller in
 * some column, the new row is no better than that row anywhere and loses to it (a tie goes to
 * the first row). The exact front with keep-first ties (the only pruner this is used with, see
 * `exactFronts`) then never keeps the new row: dropping it changes no other row's fate, since
 * whatever it would have beaten, the cached row beats too, and the cached row, or the row that
 * beats it, is in the group when it is pruned (a cached row is a row of the group, added or
 * itself dropped by an earlier-or-better row: "beats" is a strict order, so the chain ends at a
 * row that was added). The bound is the composition's own columns on some of the row's
 * component latencies, the others taken as 0 (evaluate/polynomial-score.ts), a lower bound in
 * every overlap mode since every column is non-decreasing in each latency (`boundsAreExact` in
 * generate-pmappings.ts; docs/overlapped-latency.md §7).
 *
 * Rows arrive in enumeration order, and the rows that beat most others often come late, so
 * the search also caches "seeds": rows scored ahead of their turn (with their place in the
 * order), which may then drop rows before them only by being smaller in some column.
 *
 * A row of one Einsum in an overlap mode carries dozens of columns that are 0 in every row (the
 * fused nest's records it does not fill yet): the cache compares row by row only the columns
 * where some cached row is not 0, and the others once per bound (a cached 0 is at most the bound
 * there exactly when the bound is at least 0, and smaller when it is above 0).
 */

/** Rows cached per group: room for a template's seeds (SEEDING in generate-pmappings.ts) and the rows that drop others. */
const SIZE = 32

export class DominanceCache {
  private readonly width: number
  private readonly rows: Float64Array
  /** Each cached row's place in the group's order (see `dominates`). */
  private readonly orders: Float64Array
  private count = 0
  /** The columns where some row cached so far is not 0 (in `active`'s first `nActive`), and a flag per column. */
  private readonly active: Int32Array
  private nActive = 0
  private readonly isActive: Uint8Array

  constructor(width: number) {
    this.width = width
    this.rows = new Float64Array(SIZE * width)
    this.orders = new Float64Array(SIZE)
    this.active = new Int32Array(width)
    this.isActive = new Uint8Array(width)
  }

  get empty(): boolean {
    return this.count === 0
  }

  /**
   * Whether some cached row beats every row whose columns are at least `bound` and whose place
   * is `order`: it is at most `bound` in every column, and earlier or smaller somewhere. The
   * row found moves one place up, so rows that drop others often stay.
   */
  dominates(bound: ArrayLike<number>, order: number): boolean {
    const { width, rows, active, nActive, isActive } = this
    // Where every cached row is 0: the same test for all of them.
    let aboveZero = false
    for (let c = 0; c < width; c++) {
      if (isActive[c] === 1) continue
      const b = bound[c]!
      if (!(0 <= b)) return false
      if (0 < b) aboveZero = true
    }
    for (let r = 0; r < this.count; r++) {
      const at = r * width
      let a = 0
      let smaller = aboveZero || this.orders[r]! < order
      for (; a < nActive; a++) {
        const c = active[a]!
        const v = rows[at + c]!
        const b = bound[c]!
        if (!(v <= b)) break
        if (v < b) smaller = true
      }
      if (a < nActive || !smaller) continue
      if (r > 0) this.swap(r, r - 1)
      return true
    }
    return false
  }

  /**
   * Caches a row of the group at place `order`: in a free slot, else in the last one, on
   * probation (only a drop moves a row up). The `k`-th of a batch of seeds takes the `k`-th
   * slot from the end instead, so a batch stays whole.
   */
  add(values: ArrayLike<number>, order: number, k = 0): void {
    const slot = this.count < SIZE ? this.count++ : Math.max(0, SIZE - 1 - k)
    const at = slot * this.width
    for (let c = 0; c < this.width; c++) {
      const v = values[c]!
      this.rows[at + c] = v
      // Not 0 (NaN included, and -0 compares as 0): compared row by row from now on.
      if (!(v === 0) && this.isActive[c] === 0) {
        this.isActive[c] = 1
        this.active[this.nActive++] = c
      }
    }
    this.orders[slot] = order
  }

  private swap(a: number, b: number): void {
    const { width, rows, orders } = this
    for (let c = 0; c < width; c++) {
      const x = rows[a * width + c]!
      rows[a * width + c] = rows[b * width + c]!
      rows[b * width + c] = x
    }
    const o = orders[a]!
    orders[a] = orders[b]!
    orders[b] = o
  }
}
