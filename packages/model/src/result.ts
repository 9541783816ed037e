/**
 * What evaluating a mapping produces: totals, and flat breakdown records keyed by
 * (einsum, component, tensor, action). Compute actions and leak have `tensor: null`.
 * Every summable number already includes the Einsum's `n_instances`.
 */

export interface ActionEntry {
  readonly einsum: string
  readonly component: string
  readonly tensor: string | null
  readonly action: string
  /** Action count (read/write/hop actions, or ops for `compute`). */
  readonly value: number
}

/** Energy in the arch's energy unit; leak has action "leak". */
export type EnergyEntry = ActionEntry

export interface LatencyEntry {
  readonly einsum: string
  readonly component: string
  readonly value: number
}

export interface MemoryUsageEntry {
  readonly einsum: string
  readonly component: string
  readonly tensor: string
  /** Bits one instance of the memory holds for this tensor (at its reservation). */
  readonly bits: number
  /** bits / size (0 for an unbounded memory). */
  readonly fraction: number
}

export interface SpatialUsageEntry {
  readonly einsum: string
  readonly component: string
  readonly dimension: string
  readonly used: number
  readonly fanout: number
  /** used / fanout × usage_scale. */
  readonly usage: number
}

export interface EinsumSummary {
  readonly einsum: string
  readonly compute: string
  readonly nInstances: number
  readonly energy: number
  readonly dynamicEnergy: number
  readonly leakEnergy: number
  /**
   * The slowest component (all components overlap perfectly); under an overlap mode, the Einsum's
   * span on the critical path (first start to last end, `overlap.einsums`).
   */
  readonly latency: number
  /** Bytes moved across the outermost memory's boundary (metrics/off-chip.ts). */
  readonly offChipBytes: number
}

/**
 * What sets the latency under an overlap mode (docs/overlapped-latency.md): each Einsum's first
 * start and last end on the critical path, each component's total busy time.
 */
export interface OverlapBreakdown {
  readonly mode: "none" | "writeback" | "pipeline"
  readonly latency: number
  /** When the last Einsum leaves the critical path; deferred work may run on after it, up to `latency`. */
  readonly criticalPath: number
  readonly einsums: ReadonlyArray<{ readonly einsum: string; readonly start: number; readonly end: number }>
  readonly components: ReadonlyArray<{ readonly component: string; readonly busy: number }>
}

export interface EvaluationResult {
  /** Dynamic + leak energy over every Einsum. */
  readonly energy: number
  readonly dynamicEnergy: number
  readonly leakEnergy: number
  /** The workload's latency under the overlap mode (mode none: Einsum latencies added up, Sequential and Pipeline alike). */
  readonly latency: number
  /** The Einsums on the critical path and the components' busy times, under the overlap mode evaluated. */
  readonly overlap: OverlapBreakdown
  readonly einsums: ReadonlyArray<EinsumSummary>
  readonly energyBreakdown: ReadonlyArray<EnergyEntry>
  readonly latencyBreakdown: ReadonlyArray<LatencyEntry>
  readonly actions: ReadonlyArray<ActionEntry>
  readonly memoryUsage: ReadonlyArray<MemoryUsageEntry>
  readonly spatialUsage: ReadonlyArray<SpatialUsageEntry>
  /** Total area of the arch (every instance), undefined when a component model would be needed. */
  readonly area: number | undefined
  /** Total leak power of the arch (every instance), undefined when unknown. */
  readonly leakPower: number | undefined
}

/** Which coordinates to keep when summing a breakdown; the others are summed over. */
export interface GroupBy {
  readonly einsum?: boolean
  readonly component?: boolean
  readonly tensor?: boolean
  readonly action?: boolean
}

/**
 * Sum entries over the coordinates not kept, e.g. `groupEntries(r.energyBreakdown, {component: true,
 * tensor: true})` gives energy per (component, tensor). Keys are the kept coordinates joined by "|"
 * (a null tensor is "None"), in a Map that keeps first-seen order.
 */
export const groupEntries = (entries: ReadonlyArray<ActionEntry>, by: GroupBy): Map<string, number> => {
  const out = new Map<string, number>()
  for (const e of entries) {
    const key = [
      by.einsum ? e.einsum : undefined,
      by.component ? e.component : undefined,
      by.tensor ? e.tensor ?? "None" : undefined,
      by.action ? e.action : undefined
    ].filter((k) => k !== undefined).join("|")
    out.set(key, (out.get(key) ?? 0) + e.value)
  }
  return out
}
