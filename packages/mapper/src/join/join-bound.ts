/**
 * Branch and bound in the join: when the final pick minimises one scalar (energy, latency or
 * EDP: a run asking for that alone), a partial row whose objective cannot come down to `U`, the
 * objective of a complete valid mapping of the same mapspace (the better of the unfused
 * best-so-far and a beam join: best-so-far.ts), is dropped as it forms. The bound itself is the composition's (model
 * compose/objective-bound.ts): from the row's columns, the fused loops it leaves open, and per
 * column the sum of the smallest value of every Einsum still to be joined (in mode `none`,
 * simply their sum; in the overlap modes, the state of the fused nest closed as the proof in
 * docs/overlapped-latency.md §7 says).
 *
 * Why the answer is unchanged:
 * - Every complete row the unbounded join ends with has an objective at least the bound of each
 *   of its partial rows, and the optimum is at most U (U's mapping is one the join finds or
 *   dominates), so no dropped row is, or leads to, the optimum nor a row that ties with it.
 * - Ties: U carries its tie-break objective too (the one the pick compares next, `tieBreakOf`).
 *   A row whose bound is at least U's objective and whose tie-break bound exceeds U's loses to
 *   U's mapping in the pick's order in every completion, so it is dropped too: on the chains,
 *   where nearly every row can still reach the latency optimum, this is what prunes. The "at
 *   least" has no slack (a slack would drop completions better by less than it); it is exact
 *   unless the bound's sums round above a completion's own objective by more than the gap
 *   between two distinct objectives (docs/overlapped-latency.md §7, "Ties").
 * - The pruning that follows is unchanged: the exact front keeps a row unless another row is no
 *   larger in every compared column (objectives first); that row's bounds are then no larger
 *   (each bound is non-decreasing in every column), so it is dropped only if the dominated one
 *   is. Hence, by induction over the steps, each compatibility's front holds the values of the
 *   unbounded one filtered by the bound, and the final front those of the unbounded final front
 *   within U: the same optimum, and the same tie-break on the other objectives.
 * - Order: an A group whose rows are all dropped no longer creates the joined groups it met
 *   first, so groups may come in another order, and among rows equal in every compared column
 *   (keep-first) another one may be kept. That changes which mapping is picked only among
 *   mappings equal in every objective; with `_tie_break: first` (ties on the one objective go
 *   to the first row) the bound is off (search/pick.ts).
 * - Only with the exact front (`isExactFront`): a tolerant or custom pruner drops rows that are
 *   not dominated column by column, and the argument above does not hold for it.
 * - Floating point: a sum taken in another order may differ in its last bits, so a row is dropped
 *   only when its bound exceeds U by more than a relative `SLACK`, far above the rounding of a
 *   sum of a few thousand non-negative terms (keeping a few more rows is always exact).
 */
import type { Column, Composition, ObjectiveLowerBound, SharedLoop } from "@effect-accelforge/model"
import { type BoundedObjective, objectiveLowerBound } from "@effect-accelforge/model"
import type { PmappingTable } from "../generate/pmapping-table.ts"

/** Relative slack on U (see the module comment). */
export const SLACK = 1e-9

/**
 * The objective the pick compares next when the bounded one ties (search/pick.ts: the asked
 * objectives, then the tie-break ones): a latency pick takes the cheapest of the fastest, an
 * energy pick the fastest of the cheapest, an EDP pick the cheapest of those tied on EDP.
 */
export const tieBreakOf = (objective: BoundedObjective): BoundedObjective => (objective === "energy" ? "latency" : "energy")

/** A complete valid mapping's objective and tie-break objective: what a row must beat. */
export interface UpperBound {
  readonly objective: number
  readonly tie: number
}

/** The bound while one Einsum is joined. */
export class StepBound {
  private readonly lowerBound: ObjectiveLowerBound
  private readonly tieBound: ObjectiveLowerBound | undefined
  /** Per column, a lower bound on what the Einsums after this step add. */
  private readonly rest: Float64Array
  private readonly upper: number
  private readonly upperObjective: number
  private readonly upperTie: number

  constructor(lowerBound: ObjectiveLowerBound, tieBound: ObjectiveLowerBound | undefined, rest: Float64Array, upper: UpperBound) {
    this.lowerBound = lowerBound
    this.tieBound = tieBound
    this.rest = rest
    this.upperObjective = upper.objective
    this.upper = upper.objective + SLACK * Math.abs(upper.objective)
    this.upperTie = upper.tie + SLACK * Math.abs(upper.tie)
  }

  /** The least objective any completion of a row with these values, leaving `open` to the Einsums after it, can reach. */
  lowest(values: ArrayLike<number>, open: ReadonlyArray<SharedLoop>): number {
    return this.lowerBound(values, this.rest, open)
  }

  /**
   * Whether no completion of a row with these objective values, leaving the fused loops `open`
   * to the Einsums after it, can be optimal: its objective cannot come down to U's, or can at
   * best tie with it and its tie-break objective cannot come down to U's.
   */
  exceeds(values: ArrayLike<number>, open: ReadonlyArray<SharedLoop>): boolean {
    const low = this.lowest(values, open)
    if (low > this.upper) return true
    return low >= this.upperObjective && this.tieBound !== undefined && this.tieBound(values, this.rest, open) > this.upperTie
  }
}

/** Per objective column, the smallest value of any row of the table. */
const columnMinima = (table: PmappingTable): Float64Array => {
  const out = new Float64Array(table.objectives).fill(Infinity)
  for (const g of table.groups) {
    for (let c = 0; c < table.objectives; c++) {
      const column = g.columns[c]!
      for (let r = 0; r < g.rows; r++) if (column[r]! < out[c]!) out[c] = column[r]!
    }
  }
  return out
}

/**
 * One `StepBound` per table (the step that joins it), given U; undefined when the composition
 * has no bound for the objective.
 */
export const stepBounds = (
  tables: ReadonlyArray<PmappingTable>, composition: Composition, columns: ReadonlyArray<Column>, objective: BoundedObjective, upper: UpperBound
): Array<StepBound> | undefined => {
  const lowerBound = objectiveLowerBound(composition, columns, objective)
  if (lowerBound === undefined || !Number.isFinite(upper.objective)) return undefined
  const tieBound = Number.isFinite(upper.tie) ? objectiveLowerBound(composition, columns, tieBreakOf(objective)) : undefined
  const k = tables[0]?.objectives ?? 0
  const minima = tables.map(columnMinima)
  const rest = new Float64Array(k)
  const out: Array<StepBound> = []
  for (let i = tables.length - 1; i >= 0; i--) {
    out[i] = new StepBound(lowerBound, tieBound, Float64Array.from(rest), upper)
    for (let c = 0; c < k; c++) rest[c] = rest[c]! + minima[i]![c]!
  }
  return out
}

/** The better of two upper bounds, in the pick's order (objective, then tie-break). */
export const betterUpperBound = (a: UpperBound, b: UpperBound): UpperBound =>
  a.objective < b.objective || (a.objective === b.objective && a.tie <= b.tie) ? a : b

/** The best row of a front with every Einsum joined (rest zero), in the pick's order: U. */
export const bestObjective = (
  objectives: ReadonlyArray<Float64Array>, rows: number, composition: Composition, columns: ReadonlyArray<Column>, objective: BoundedObjective
): UpperBound => {
  const lowerBound = objectiveLowerBound(composition, columns, objective)
  const tieBound = objectiveLowerBound(composition, columns, tieBreakOf(objective))
  let best: UpperBound = { objective: Infinity, tie: Infinity }
  if (lowerBound === undefined) return best
  const zero = new Float64Array(objectives.length)
  const values = new Float64Array(objectives.length)
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < objectives.length; c++) values[c] = objectives[c]![r]!
    best = betterUpperBound(best, { objective: lowerBound(values, zero), tie: tieBound === undefined ? Infinity : tieBound(values, zero) })
  }
  return best
}

/** Per objective column of a group, its smallest value, as one-row columns (what a combiner reads). */
export const lowestRowOf = (objectives: ReadonlyArray<Float64Array>, count: number, rows: number): Array<Float64Array> =>
  objectives.slice(0, count).map((column) => {
    let low = Infinity
    for (let r = 0; r < rows; r++) if (column[r]! < low) low = column[r]!
    return Float64Array.of(low)
  })
