/**
 * The one number a comparison of strategies ranks a whole-workload result by, from the spec's
 * `mapper.metrics`: EDP when asked for, else the first objective (energy or latency, in FFM's
 * objective order). The same rule scores FFM's result, a joined choice of sa and ga, and the
 * model's evaluation of a composed per-Einsum result.
 */
import { objectivesOf, usesEdp } from "../generate/objectives.ts"

export interface Totals {
  readonly energy: number
  readonly latency: number
  readonly dynamicEnergy?: number
  readonly leakEnergy?: number
}

export const workloadScore = (metrics: number, totals: Totals): number => {
  if (usesEdp(metrics)) return totals.energy * totals.latency
  const first = objectivesOf(metrics)[0]
  return first === undefined ? NaN : totals[first] ?? NaN
}

/** The totals of a joined row's objective columns (in `objectivesOf(metrics)` order). */
export const totalsOfObjectives = (metrics: number, objectives: ArrayLike<number>): Totals => {
  const names = objectivesOf(metrics)
  const at = (name: string) => (names.indexOf(name as never) >= 0 ? objectives[names.indexOf(name as never)]! : NaN)
  return { energy: at("energy"), latency: at("latency"), dynamicEnergy: at("dynamicEnergy"), leakEnergy: at("leakEnergy") }
}

/** Best score against evaluations and seconds, one point per improvement. */
export interface HistoryPoint {
  readonly evaluations: number
  readonly seconds: number
  readonly score: number
  /** sa and ga: the evaluations had every draw been charged the Einsum's whole tile space per Pareto-optimal pmapping (a search that prunes nothing). */
  readonly unprunedEvaluations?: number
}
