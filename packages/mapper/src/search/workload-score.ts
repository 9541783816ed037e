/**
 * The one number a comparison of strategies ranks a whole-workload result by, from the spec's
 * `mapper.metrics`: EDP when asked for, else the first objective. The totals (EDP
 * among them) are the composition's (model compose/), for FFM's result, a joined choice of sa
 * and ga, and the model's evaluation of a composed per-Einsum result alike.
 */
import { ALL_OBJECTIVES, type Composition, type EvaluationResult, type ObjectiveName, objectivesOf, type Totals } from "@effect-accelforge/model"
import { usesEdp } from "../generate/objectives.ts"

export const workloadScore = (metrics: number, totals: Totals): number => {
  if (usesEdp(metrics)) return totals.edp ?? NaN
  const first = objectivesOf(metrics)[0]
  return first === undefined ? NaN : totals[first] ?? NaN
}

/** The totals of a joined row's objective columns (in `composition.columns(metrics)` order). */
export const totalsOfObjectives = (composition: Composition, metrics: number, objectives: ArrayLike<number>): Totals =>
  composition.totals(composition.columns(metrics), objectives)

/** The totals of the model's evaluation of a whole mapping. */
export const totalsOfEvaluation = (composition: Composition, e: EvaluationResult): Totals =>
  composition.totals(ALL_OBJECTIVES, ALL_OBJECTIVES.map((c) => e[c.name as ObjectiveName]))

/** Best score against evaluations and seconds, one point per improvement. */
export interface HistoryPoint {
  readonly evaluations: number
  readonly seconds: number
  readonly score: number
  /** sa and ga: the evaluations had every draw been charged the Einsum's whole tile space per Pareto-optimal pmapping (a search that prunes nothing). */
  readonly unprunedEvaluations?: number
}
