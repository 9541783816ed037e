/**
 * Lower bounds on the objective the final pick minimises, for partial mappings: what the join
 * needs to drop a partial row that no completion can make optimal (branch and bound). It lives
 * with the compositions because it rests on how their columns combine.
 *
 * Mode `none` (sequential.ts): every column adds across Einsums and every Einsum's values are
 * non-negative. So if `rest[c]` is at most what the Einsums still to be joined add to column c
 * in any completion (e.g. the sum of their smallest values of c), a partial row with values `v`
 * completes to at least `v[c] + rest[c]` in column c: that is a lower bound on energy or on
 * latency, and the product of the two bounds (both non-negative) bounds EDP. With `rest` all
 * zeros, the bound of a complete row is its objective.
 *
 * The bound is non-decreasing in every column, so a row that another is no larger than in every
 * column has a bound no smaller: a bound never keeps a row whose Pareto dominator it drops.
 *
 * Modes that overlap Einsums are not sums (a latency is a critical path): no bound here yet
 * (docs/overlapped-latency.md §5 gives ones a later change can add).
 */
import type { Column, Composition } from "./composition.ts"

/** The scalars a pick minimises (a run asking for one of them alone). */
export type BoundedObjective = "energy" | "latency" | "edp"

/** A lower bound on the objective of every completion of a row with values `v` (one per column), given `rest`, per column, a lower bound on what the rest adds. */
export type ObjectiveLowerBound = (v: ArrayLike<number>, rest: ArrayLike<number>) => number

/** The bound of `objective` over `columns` in mode `mode`; undefined when there is none (a column is missing, or the mode does not add). */
export const objectiveLowerBound = (
  composition: Composition, columns: ReadonlyArray<Column>, objective: BoundedObjective
): ObjectiveLowerBound | undefined => {
  if (composition.mode !== "none" || columns.some((c) => c.combine !== "add")) return undefined
  const energy = columns.findIndex((c) => c.name === "energy")
  const latency = columns.findIndex((c) => c.name === "latency")
  if (objective === "edp") {
    if (energy < 0 || latency < 0) return undefined
    return (v, rest) => (v[energy]! + rest[energy]!) * (v[latency]! + rest[latency]!)
  }
  const c = objective === "energy" ? energy : latency
  if (c < 0) return undefined
  return (v, rest) => v[c]! + rest[c]!
}
