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

/** Every array's start: nothing is allocated until a first value (a part's search makes thousands of groups of a few rows). */
const NO_F64 = new Float64Array(0)
const NO_I32 = new Int32Array(0)

export class GrowableF64 {
  data = NO_F64
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

  /** Appends values `from` to `to` of `values`, as `push` of each would (a merge of parts' groups: one growth, a plain copy; no subarray, which costs more than a small group's copy). */
  pushAll(values: Float64Array, from: number, to: number): void {
    let k = from
    if (this.zeros) {
      while (k < to && values[k] === 0 && 1 / values[k]! > 0) k++
      this.length += k - from
      if (k === to) return
      this.push(values[k++]!)
    }
    const end = this.length + to - k
    if (end > this.data.length) this.data = doubled(this.data, new Float64Array(Math.max(end, 2 * this.data.length)))
    const data = this.data
    for (let at = this.length; k < to; k++) data[at++] = values[k]!
    this.length = end
  }

  /** The values at positions `rows`, in that order, as a new array (a column of zeros: zeros, without reading). */
  gather(rows: Int32Array): Float64Array<ArrayBuffer> {
    const out = new Float64Array(rows.length)
    if (this.zeros) return out
    const data = this.data
    for (let i = 0; i < rows.length; i++) out[i] = data[rows[i]!]!
    return out
  }

  /** The values put in the order of `rows`, a permutation of the positions (a column of zeros stays as it is). */
  reorder(rows: Int32Array): void {
    if (!this.zeros) this.data = this.gather(rows)
  }

  /** The values (for a column of zeros, a new array: writing to it changes nothing, every value is 0 anyway). */
  view(): Float64Array {
    return this.zeros ? new Float64Array(this.length) : this.data.subarray(0, this.length)
  }
}

export class GrowableI32 {
  data = NO_I32
  length = 0
  push(value: number): void {
    if (this.length === this.data.length) this.data = doubled(this.data, new Int32Array(Math.max(16, this.data.length * 2)))
    this.data[this.length++] = value
  }
  /** Appends values `from` to `to` of `values`, each plus `add` (a merged part's tile offsets move past the rows before it). */
  pushAll(values: Int32Array, from: number, to: number, add = 0): void {
    const end = this.length + to - from
    if (end > this.data.length) this.data = doubled(this.data, new Int32Array(Math.max(end, 2 * this.data.length)))
    const data = this.data
    for (let k = from, at = this.length; k < to; k++) data[at++] = values[k]! + add
    this.length = end
  }

  /** The values at positions `rows`, in that order, as a new array. */
  gather(rows: Int32Array): Int32Array<ArrayBuffer> {
    const out = new Int32Array(rows.length)
    const data = this.data
    for (let i = 0; i < rows.length; i++) out[i] = data[rows[i]!]!
    return out
  }

  /** The values put in the order of `rows`, a permutation of the positions. */
  reorder(rows: Int32Array): void {
    this.data = this.gather(rows)
  }

  view(): Int32Array {
    return this.data.subarray(0, this.length)
  }
}
