/**
 * A few rows already added to one group (their compared columns), to drop a new row before it
 * is fully scored: when a lower bound of every compared column of the new row is no smaller
 * than a cached row's value, the new row is no better than that row anywhere, and that row
 * came first. The exact front with keep-first ties (the only pruner this is used with, see
 * `exactFronts`) then never keeps the new row: the cached row, or a row that pushed it out
 * (no worse anywhere and earlier, or better somewhere), is still there when the group is
 * pruned. Any subset of earlier rows is sound; the cache keeps rows that dropped others, and
 * the newest row.
 */

/** Rows cached per group: a handful catches most dominated rows and keeps the check cheap. */
const SIZE = 4

export class DominanceCache {
  private readonly width: number
  private readonly rows: Float64Array
  private count = 0

  constructor(width: number) {
    this.width = width
    this.rows = new Float64Array(SIZE * width)
  }

  get empty(): boolean {
    return this.count === 0
  }

  /** Whether some cached row is at most `bound` in every compared column (moving it one place up: rows that drop often stay). */
  dominates(bound: ArrayLike<number>): boolean {
    const { width, rows } = this
    for (let r = 0; r < this.count; r++) {
      const at = r * width
      let c = 0
      while (c < width && rows[at + c]! <= bound[c]!) c++
      if (c < width) continue
      if (r > 0) this.swap(r, r - 1)
      return true
    }
    return false
  }

  /**
   * Caches a row just added to the group: in a free slot, else in the last one, on probation
   * (the others are rows that dropped a row since they came in, and only a drop moves a row up).
   */
  add(values: ArrayLike<number>): void {
    const { width, rows } = this
    const at = (this.count < SIZE ? this.count++ : SIZE - 1) * width
    for (let c = 0; c < width; c++) rows[at + c] = values[c]!
  }

  private swap(a: number, b: number): void {
    const { width, rows } = this
    for (let c = 0; c < width; c++) {
      const x = rows[a * width + c]!
      rows[a * width + c] = rows[b * width + c]!
      rows[b * width + c] = x
    }
  }
}
