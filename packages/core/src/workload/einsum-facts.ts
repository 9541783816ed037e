/**
 * What the set-expression and rename machinery needs to know about one Einsum, computed from
 * the whole workload by `workload/` and consumed by `sets/`. Plain data, no behaviour.
 */
export interface TensorFacts {
  readonly name: string
  /** Rank variables that appear in this tensor's projection, in first-seen order. */
  readonly rankVariables: ReadonlyArray<string>
  /** Bits per value, once known (undefined while the workload is still being resolved). */
  readonly bitsPerValue: number | undefined
}

export interface EinsumFacts {
  readonly name: string
  /** Every tensor of this Einsum, inputs first in written order, then the output. */
  readonly tensors: ReadonlyArray<TensorFacts>
  readonly inputs: ReadonlyArray<string>
  readonly outputs: ReadonlyArray<string>
  /** Tensors of this Einsum written by some Einsum and read by some Einsum of the workload. */
  readonly intermediates: ReadonlyArray<string>
  /** Tensors of this Einsum used by more than one Einsum of the workload. */
  readonly shared: ReadonlyArray<string>
  /** Accesses flagged `persistent: true` in this Einsum (not `workload.persistent_tensors`). */
  readonly persistent: ReadonlyArray<string>
  /** This Einsum's rank variables, first-seen order over its accesses. */
  readonly rankVariables: ReadonlyArray<string>
  /** Every tensor name and every rank variable of the whole workload (others resolve to ∅). */
  readonly workloadTensors: ReadonlyArray<string>
  readonly workloadRankVariables: ReadonlyArray<string>
}
