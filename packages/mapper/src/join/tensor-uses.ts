/**
 * Which tensors the Einsums before or after a join step use, read from each tensor's first and
 * last user. The join asks at every step; a union of the other Einsums' tensor sets per step
 * made it quadratic in the Einsums (a chain of 256 matmuls: 100 k set insertions a join).
 */

/** The part of a set the join reads. */
export interface TensorFilter {
  readonly has: (tensor: string) => boolean
}

export class TensorUses {
  private readonly first = new Map<string, number>()
  private readonly last = new Map<string, number>()

  /** `einsumTensors[i]`: the tensors Einsum i uses, in workload order. */
  constructor(einsumTensors: ReadonlyArray<ReadonlySet<string>>) {
    einsumTensors.forEach((tensors, i) => {
      for (const t of tensors) {
        if (!this.first.has(t)) this.first.set(t, i)
        this.last.set(t, i)
      }
    })
  }

  /** The tensors some Einsum before Einsum `i` uses. */
  before(i: number): TensorFilter {
    return { has: (tensor) => (this.first.get(tensor) ?? Infinity) < i }
  }

  /** The tensors some Einsum after Einsum `i` uses. */
  after(i: number): TensorFilter {
    return { has: (tensor) => (this.last.get(tensor) ?? -Infinity) > i }
  }
}
