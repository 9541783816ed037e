/**
 * Typed arrays that grow by doubling, for rows whose count is known only once they are all
 * scored. One class per element type, so each `push` (several per scored row) stores into one
 * kind of array only.
 */
export class GrowableF64 {
  data = new Float64Array(16)
  length = 0
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = value
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length)
  }
}

export class GrowableI32 {
  data = new Int32Array(16)
  length = 0
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = value
  }
  view(): Int32Array {
    return this.data.subarray(0, this.length)
  }
}
