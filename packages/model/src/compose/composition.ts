/**
 * How per-Einsum results become the totals of a whole mapping: the one place that says it.
 * The model's evaluation, the mapper's row scorer, the join's merge of partial mappings, the
 * final pick (EDP) and the brute-force test oracle all go through a `Composition`.
 *
 * Each Einsum's pmapping is summed up by its `EinsumCosts` (dynamic energy, every component's
 * latency, the arch's leak powers). A composition mode turns these into the columns a pmapping
 * row carries, each with its combine rule across Einsums, and derives the objectives of a
 * complete mapping (energy, latency, EDP) from the combined columns. A mode with overlapping
 * Einsums plugs in here with columns of its own (a critical path, per-component busy time);
 * the join combines rows only through `combiner`, so its loops do not change.
 *
 * What pruning relies on, for every mode: each column is non-decreasing in every Einsum's
 * dynamic energy and in each of its components' latencies, and a combined column is
 * non-decreasing in the columns of both sides. So a pmapping whose costs are no larger in every
 * column can replace another wherever it is joined (per-Einsum Pareto pruning), and one whose
 * dynamic energy and per-unit calls are no larger is never worse (the mapper's partial-row
 * pruning; latency grows with calls).
 */
import type { EinsumCosts } from "./einsum-costs.ts"
import type { LatencyBound } from "./overlap-bound.ts"

/**
 * How a column of two partial mappings combines: `add` (the Einsums run one after the other),
 * `max` (they run at the same time), `carry` (the mode's combiner derives it from other
 * columns, e.g. a critical path closed when a shared loop nest ends).
 */
export type CombineRule = "add" | "max" | "carry"

/** The objectives the mapper can minimize, as columns. */
export type ObjectiveName = "energy" | "latency" | "dynamicEnergy" | "leakEnergy"

/**
 * A column's name: an objective, or (modes that overlap Einsums) the arch's leak power and the
 * state of the fused nest that the latency is derived from at the end.
 */
export type ColumnName = ObjectiveName | "leakPower" | "overlapState"

export interface Column {
  readonly name: ColumnName
  readonly combine: CombineRule
}

/** What the columns of a mode that overlaps Einsums are laid out over: the arch's components and the deepest fused nest. */
export interface CompositionShape {
  /** Every component an Einsum may use (names, in a fixed order). */
  readonly components: ReadonlyArray<string>
  /** The most fused loops any Einsum can share with another. */
  readonly maxDepth: number
  /**
   * The components that may hold deferred work (a deferrable output's backing holder); the
   * others never queue any, so only their critical time matters. Default: every component.
   */
  readonly deferring?: ReadonlyArray<string>
}

/** Totals of a complete mapping (those its columns allow). */
export interface Totals {
  readonly energy?: number
  readonly latency?: number
  readonly dynamicEnergy?: number
  readonly leakEnergy?: number
  /** energy × latency, when both are known. */
  readonly edp?: number
}

/**
 * Where the next Einsum joins the ones before it: inside the loops they share (outermost
 * first, each with its iteration count). Mode `none` does not need it; a mode that pipelines
 * Einsums under shared loops does (a nest closes when the next Einsum shares fewer loops).
 */
export interface JoinContext {
  readonly sharedLoops: ReadonlyArray<SharedLoop>
  /**
   * The loops the next Einsum joins under (what the Einsums joined so far, this one included,
   * share with the ones after): the fused nest that stays open. Empty after the last Einsum.
   */
  readonly nextLoops: ReadonlyArray<SharedLoop>
}

/** A fused loop, as composing Einsums needs it: spatial loops run their iterations at the same time. */
export interface SharedLoop {
  readonly iterations: number
  readonly spatial?: boolean
}

/** The iterations a fused loop repeats its body: a spatial loop runs them at the same time, so none. */
export const iterationsOf = (loop: SharedLoop): number => (loop.spatial === true ? 1 : loop.iterations)

/** `out[c] = left[c][l] ⊕ right[c][r]` for every column: two partial mappings as one. */
export type RowCombiner = (
  out: Float64Array,
  left: ReadonlyArray<Float64Array>,
  l: number,
  right: ReadonlyArray<Float64Array>,
  r: number,
  context: JoinContext
) => void

/**
 * Overlap of Einsums (docs/overlapped-latency.md): `none` runs them one after the other
 * (AccelForge's semantics); `writeback` takes writes nobody waits for off the critical path;
 * `pipeline` also pipelines Einsums under shared fused loops.
 */
export type OverlapMode = "none" | "writeback" | "pipeline"

export const OVERLAP_MODES: ReadonlyArray<OverlapMode> = ["none", "writeback", "pipeline"]

export interface Composition {
  readonly mode: OverlapMode
  /** The columns a pmapping row carries for a metric set (Metrics flags), in a fixed order. */
  readonly columns: (metrics: number) => ReadonlyArray<Column>
  /** One Einsum's latency on its own, for one instance (its leak energy runs that long in this mode). */
  readonly einsumLatency: (costs: EinsumCosts) => number
  /** One Einsum's values of `columns`, written to `out` from `offset`. */
  readonly einsumValues: (columns: ReadonlyArray<Column>, costs: EinsumCosts, out: Float64Array, offset?: number) => void
  /** How rows with these columns combine. */
  readonly combiner: (columns: ReadonlyArray<Column>) => RowCombiner
  /** The totals of a complete mapping from its combined values. */
  readonly totals: (columns: ReadonlyArray<Column>, values: ArrayLike<number>) => Totals
  /**
   * Per component of one Einsum (`components`, as in its costs): 1 when its latency has a column
   * of its own in `einsumValues`, not only a share in the maximum over the Einsum's components.
   * The search's staged lower bound of a row computes these latencies and the slowest one so far
   * (the others taken as 0, a lower bound whatever this says: every column is non-decreasing in
   * every latency), so it can match the row's columns. Absent: none (the Einsum's latency alone).
   */
  readonly ownLatencyColumns?: (components: ReadonlyArray<string>) => Uint8Array
  /**
   * A mode that overlaps Einsums: a lower bound on the latency of every completion of a row, and
   * where the row's dynamic energy and leak power sit (objective-bound.ts builds energy and EDP
   * bounds from them).
   */
  readonly completionBound?: CompletionBound
  /** The composition a search uses: a mode that overlaps Einsums lays its columns out over the search's shape. */
  readonly forSearch: (shape: CompositionShape) => Composition
}

/** What a lower bound on a completion's objective needs from a mode whose latency is not a column. */
export interface CompletionBound {
  readonly latency: LatencyBound
  /** The columns of the dynamic energy (added) and of the leak power (maxed). */
  readonly dynamicEnergy: number
  readonly leakPower: number
}
