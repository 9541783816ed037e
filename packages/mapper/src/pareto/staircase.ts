/**
 * The two-column front of a growing set of points, as a staircase: `y` strictly ascending,
 * `z` strictly descending. Answers "does some point of the set have y' ≤ y and z' ≤ z?" by
 * one binary search (the entry with the largest y' ≤ y has the smallest z' among them), and
 * drops the entries a new point makes redundant, so a point weakly dominated in the set is
 * never needed again. Swept in order of a first column, this is a three-column dominance test.
 */
export class Staircase {
  private ys: Float64Array
  private zs: Float64Array
  size = 0

  constructor(capacity = 16) {
    this.ys = new Float64Array(Math.max(1, capacity))
    this.zs = new Float64Array(Math.max(1, capacity))
  }

  /** Whether some point of the set is `≤` (y, z) in both. */
  covers(y: number, z: number): boolean {
    const below = this.lastAtMost(y)
    return below >= 0 && this.zs[below]! <= z
  }

  /** Adds (y, z), which the set must not cover. */
  add(y: number, z: number): void {
    const below = this.lastAtMost(y)
    // An entry with the same y has a larger z (else it would cover the point): replace it.
    const start = below >= 0 && this.ys[below] === y ? below : below + 1
    let end = start
    while (end < this.size && this.zs[end]! >= z) end++
    if (end === start) this.openSlot(start)
    else if (end > start + 1) this.close(start + 1, end)
    this.ys[start] = y
    this.zs[start] = z
  }

  /** Index of the last entry with y' ≤ y, or -1. */
  private lastAtMost(y: number): number {
    let low = 0
    let high = this.size
    while (low < high) {
      const middle = (low + high) >>> 1
      if (this.ys[middle]! <= y) low = middle + 1
      else high = middle
    }
    return low - 1
  }

  private openSlot(at: number): void {
    if (this.size === this.ys.length) {
      const ys = new Float64Array(2 * this.ys.length)
      const zs = new Float64Array(2 * this.zs.length)
      ys.set(this.ys)
      zs.set(this.zs)
      this.ys = ys
      this.zs = zs
    }
    this.ys.copyWithin(at + 1, at, this.size)
    this.zs.copyWithin(at + 1, at, this.size)
    this.size++
  }

  private close(from: number, to: number): void {
    this.ys.copyWithin(from, to, this.size)
    this.zs.copyWithin(from, to, this.size)
    this.size -= to - from
  }
}
