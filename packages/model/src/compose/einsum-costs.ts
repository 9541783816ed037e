/**
 * What composing Einsums needs of one Einsum's pmapping (compose/composition.ts), for one
 * instance. The mapper scores millions of rows, so one record is refilled per row.
 */
export interface EinsumCosts {
  /** `n_instances` of the Einsum: every summable number is multiplied by it. */
  readonly nInstances: number
  /** Dynamic energy of one instance. */
  dynamicEnergy: number
  /** Latency of each component with traffic (and of the Compute), one instance, in arch order. */
  readonly componentLatency: Float64Array
  /**
   * The part of each component's latency that is on the critical path: without the writes an
   * overlap mode defers (docs/overlapped-latency.md §1). The same array as `componentLatency`
   * when nothing is deferrable.
   */
  criticalLatency: Float64Array
  /** The names of those components (per-component columns of a mode combine across Einsums by name). */
  readonly components: ReadonlyArray<string>
  /** Total leak power of every leaking component of the arch, in arch order. */
  readonly leakPower: Float64Array
}

export const einsumCosts = (nInstances: number, components: ReadonlyArray<string>, leakPower: Float64Array): EinsumCosts => {
  const componentLatency = new Float64Array(components.length)
  return { nInstances, dynamicEnergy: 0, componentLatency, criticalLatency: componentLatency, components, leakPower }
}
