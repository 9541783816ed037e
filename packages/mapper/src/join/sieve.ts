/**
 * A few rows a group's builder already holds, against which each new row is tested as it
 * arrives: a row some held row is `≤` in every compared column is dropped at once. The exact
 * front would drop it too (the held row, or whatever row dominates that one, dominates it or
 * is an earlier copy of it), so the pruned group is the same, row for row and in order; the
 * rows never stored cost no copy, no transposition and no sort. In the join most formed rows
 * are dominated (a chain step forms 220k rows and keeps 20k), mostly by a handful of rows
 * with a low objective and small reservations, which is what the sieve keeps.
 *
 * A held row that drops a row moves one place forward (the first places end up holding the
 * rows that drop many: low objectives, small reservations); a row that passes replaces the
 * last place. On a 64-matmul chain's join, 8 places drop 73% of the formed rows (4 places
 * with round-robin replacement: 58%; 16 places: 78%, for more tests per kept row); the exact
 * front keeps 9%.
 */
import type { Slabs } from "./row-builder.ts"

const SIZE = 8

export class Sieve {
  private readonly width: number
  private readonly held: Float64Array
  private count = 0

  constructor(width: number, space: Slabs<Float64Array>) {
    this.width = width
    this.held = space.take(SIZE * width)
  }

  /** Whether a held row is `≤` the row (objectives, right, left) everywhere; else the row is held (when `hold`: a real row). */
  covers(objectives: Float64Array, right: Float64Array, left: Float64Array, hold = true): boolean {
    const held = this.held
    const k = objectives.length
    const r = right.length
    const width = this.width
    for (let slot = 0; slot < this.count; slot++) {
      const base = slot * width
      let c = 0
      while (c < k && held[base + c]! <= objectives[c]!) c++
      if (c < k) continue
      while (c < k + r && held[base + c]! <= right[c - k]!) c++
      if (c < k + r) continue
      while (c < width && held[base + c]! <= left[c - k - r]!) c++
      if (c === width) {
        if (slot > 0) this.swap(slot)
        return true
      }
    }
    if (hold) this.hold(objectives, right, left)
    return false
  }

  /** Moves the held row at `slot` one place forward (a row that drops many rises to the first tested). */
  private swap(slot: number): void {
    const held = this.held
    const a = slot * this.width
    const b = a - this.width
    for (let c = 0; c < this.width; c++) {
      const t = held[a + c]!
      held[a + c] = held[b + c]!
      held[b + c] = t
    }
  }

  private hold(objectives: Float64Array, right: Float64Array, left: Float64Array): void {
    const base = (this.count < SIZE ? this.count : SIZE - 1) * this.width
    const held = this.held
    const k = objectives.length
    const r = right.length
    for (let c = 0; c < k; c++) held[base + c] = objectives[c]!
    for (let c = 0; c < r; c++) held[base + k + c] = right[c]!
    for (let c = 0; c < left.length; c++) held[base + k + r + c] = left[c]!
    if (this.count < SIZE) this.count++
  }
}
