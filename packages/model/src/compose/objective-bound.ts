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
 * Modes that overlap Einsums (overlap-bound.ts, docs/overlapped-latency.md §7): the latency
 * bound is the composition's, from the row's state, the loops still open after it and `rest`
 * (the same per-column sums of minima, over a row of one Einsum); the energy is the dynamic
 * energy (added: `v + rest`) plus the leak power (maxed: at least the row's) times the latency
 * bound, EDP their product. A complete row's bound is again its objective.
 *
 * Every bound is non-decreasing in every column, so a row that another is no larger than in
 * every column has a bound no smaller: a bound never keeps a row whose Pareto dominator it drops.
 */
import type { Column, Composition, CompletionBound, SharedLoop } from "./composition.ts"

/** The scalars a pick minimises (a run asking for one of them alone). */
export type BoundedObjective = "energy" | "latency" | "edp"

/**
 * A lower bound on the objective of every completion of a row with values `v` (one per column),
 * given `rest`, per column, a lower bound on what the rest adds, and `open`, the fused loops the
 * row leaves open for the Einsums after it (none for a complete row or a row of one Einsum).
 */
export type ObjectiveLowerBound = (v: ArrayLike<number>, rest: ArrayLike<number>, open?: ReadonlyArray<SharedLoop>) => number

const CLOSED: ReadonlyArray<SharedLoop> = []

/** The bound of `objective` over `columns` in mode `mode`; undefined when there is none (a column is missing, or the mode has no bound). */
export const objectiveLowerBound = (
  composition: Composition, columns: ReadonlyArray<Column>, objective: BoundedObjective
): ObjectiveLowerBound | undefined => {
  if (composition.mode !== "none") return composition.completionBound === undefined ? undefined : overlapBound(composition.completionBound, objective)
  if (columns.some((c) => c.combine !== "add")) return undefined
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

const overlapBound = (bound: CompletionBound, objective: BoundedObjective): ObjectiveLowerBound => {
  const { latency, dynamicEnergy, leakPower } = bound
  if (objective === "latency") return (v, rest, open = CLOSED) => latency(v, rest, open)
  const energy = (v: ArrayLike<number>, rest: ArrayLike<number>, time: number) => v[dynamicEnergy]! + rest[dynamicEnergy]! + v[leakPower]! * time
  if (objective === "energy") return (v, rest, open = CLOSED) => energy(v, rest, latency(v, rest, open))
  return (v, rest, open = CLOSED) => {
    const time = latency(v, rest, open)
    return energy(v, rest, time) * time
  }
}
