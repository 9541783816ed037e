/**
 * Typed arrays that grow by doubling, for rows whose count is known only once they are all
 * scored. One class per element type, so each `push` (several per scored row) stores into one
 * kind of array only.
 */
/** `bigger` with `data` copied to its start. */
const doubled = <A extends Float64Array | Int32Array>(data: A, bigger: A): A => {
  bigger.set(data)
  return bigger
}

export class GrowableF64 {
  data = new Float64Array(0)
  length = 0
  /**
   * Whether every value so far is +0, kept as a count alone: an overlap mode's row of one Einsum
   * leaves dozens of its columns at 0, and the fused-nest records they hold fill only in the join.
   */
  private zeros = true

  push(value: number): void {
    if (this.zeros) {
      if (value === 0 && 1 / value > 0) {
        this.length++
        return
      }
      this.zeros = false
      this.data = new Float64Array(Math.max(16, 2 * this.length))
    }
    if (this.length === this.data.length) this.data = doubled(this.data, new Float64Array(this.data.length * 2))
    this.data[this.length++] = value
  }

  /** The values (for a column of zeros, a new array: writing to it changes nothing, every value is 0 anyway). */
  view(): Float64Array {
    return this.zeros ? new Float64Array(this.length) : this.data.subarray(0, this.length)
  }
}

export class GrowableI32 {
  data = new Int32Array(16)
  length = 0
  push(value: number): void {
    if (this.length === this.data.length) this.data = doubled(this.data, new Int32Array(this.data.length * 2))
    this.data[this.length++] = value
  }
  view(): Int32Array {
    return this.data.subarray(0, this.length)
  }
}
