/**
 * The driver of a whole-workload strategy (sa, ga): it asks for choices, joins each with FFM's
 * join, reports the score back and keeps the best, charging evaluations as seed 001 does: each
 * pmapping drawn costs its Einsum's tile rows FFM evaluated per Pareto-optimal pmapping it kept
 * (the expected number of pmappings to look at before finding a Pareto-optimal one). It stops
 * at `score_target`, `max_evaluations`, `time_limit`, or when the strategy is done, and keeps
 * the history of the best score against evaluations and seconds.
 *
 * The charge uses FFM's own count of tile rows looked at, which profits from FFM's pruning of
 * partial rows across compatibilities; seed 001 notes the same leak. It flatters the baselines,
 * so a second count charges each draw the Einsum's whole tile space (AccelForge's "total")
 * per Pareto-optimal pmapping, as a search that prunes nothing would pay: the fair charge lies
 * between the two.
 */
import type { MapperConfig } from "@effect-accelforge/core"
import { NoValidMappingError } from "../../errors.ts"
import { type Budget, checkBudget } from "../../generate/limits.ts"
import type { PmappingTable } from "../../generate/pmapping-table.ts"
import { copyChoice, type WorkloadChoice, WorkloadMapspace } from "../../mapspace/workload-mapspace.ts"
import { chooseMapping, type ChosenMapping } from "../pick.ts"
import { Random } from "../random-source.ts"
import type { SearchSetup } from "../search-setup.ts"
import type { WorkloadStrategyEntry } from "../strategies/strategy.ts"
import { type HistoryPoint, totalsOfObjectives, workloadScore } from "../workload-score.ts"

export type WorkloadStop = "score_target" | "max_evaluations" | "time_limit" | "strategy done"

export interface WorkloadSearchResult {
  readonly strategy: string
  /** The best choice's joined row as one mapping (the caller has the Evaluator evaluate it). */
  readonly chosen: ChosenMapping
  /** The best choice's one-row tables. */
  readonly tables: ReadonlyArray<PmappingTable>
  readonly score: number
  /** Evaluations charged in all. */
  readonly evaluations: number
  /** Choices proposed and joined, and how many of them were valid. */
  readonly proposals: number
  readonly valid: number
  readonly seconds: number
  readonly stop: WorkloadStop
  readonly history: ReadonlyArray<HistoryPoint>
  /** The evaluations with every draw charged the whole tile space per Pareto-optimal pmapping. */
  readonly unprunedEvaluations: number
  /** Per Einsum, the evaluations one pmapping draw costs, and what it costs when nothing is pruned. */
  readonly charges: ReadonlyArray<{ readonly einsum: string; readonly charge: number; readonly unprunedCharge: number }>
  /** Combinations of per-Einsum Pareto rows in all. */
  readonly mapspaceSize: number
}

/**
 * Per Einsum, FFM's tile rows looked at per Pareto-optimal pmapping. An Einsum whose table was
 * reused from an isomorphic one is charged as that one (its own search cost nothing).
 */
export const chargesOf = (tables: ReadonlyArray<PmappingTable>, numerator: "evaluated" | "total" = "evaluated"): Array<number> =>
  tables.map((t) => {
    const counters = t.counters.reusedFrom === undefined ? t.counters : tables.find((u) => u.einsum === t.counters.reusedFrom)!.counters
    return counters.paretoOptimal === 0 ? 0 : counters[numerator] / counters.paretoOptimal
  })

export const searchWorkload = (
  setup: SearchSetup, tables: ReadonlyArray<PmappingTable>, entry: WorkloadStrategyEntry, config: MapperConfig,
  einsumTensors: ReadonlyArray<ReadonlySet<string>>,
  /** `mapper.time_limit` and `memory_limit`: exceeding one ends the search with an error, as in FFM. */
  budget?: Budget
): WorkloadSearchResult => {
  const search = config.search
  const mapspace = new WorkloadMapspace(tables, einsumTensors, config, setup.composition)
  const charges = chargesOf(tables)
  const unprunedCharges = chargesOf(tables, "total")
  let evaluations = 0
  let unprunedEvaluations = 0
  mapspace.charge = (e) => {
    evaluations += charges[e]!
    unprunedEvaluations += unprunedCharges[e]!
  }
  const strategy = entry.make(mapspace, search, new Random(search.seed))
  const started = performance.now()
  const seconds = () => (performance.now() - started) / 1000
  const history: Array<HistoryPoint> = []
  let best: { choice: WorkloadChoice; score: number } | undefined
  let proposals = 0
  let valid = 0
  const stopReason = (): WorkloadStop | undefined => {
    if (best !== undefined && search.score_target !== null && best.score <= search.score_target) return "score_target"
    if (evaluations >= search.max_evaluations) return "max_evaluations"
    if (seconds() > search.time_limit) return "time_limit"
    return undefined
  }
  let stop: WorkloadStop | undefined
  for (;;) {
    stop = stopReason()
    if (stop !== undefined) break
    const choice = strategy.next()
    if (choice === undefined) {
      stop = "strategy done"
      break
    }
    if ((++proposals & 63) === 0) checkBudget(budget, `searching with ${entry.name} (${proposals} fused mappings joined)`)
    const joined = mapspace.join(choice)
    if (!joined.valid) {
      strategy.report("eval-failure", Infinity)
      continue
    }
    valid++
    const score = workloadScore(config.metrics, totalsOfObjectives(setup.composition, config.metrics, joined.objectives))
    strategy.report("success", score)
    if (best === undefined || score < best.score) {
      best = { choice: copyChoice(choice), score }
      history.push({ evaluations, seconds: seconds(), score, unprunedEvaluations })
    }
  }
  if (best === undefined) {
    throw new NoValidMappingError({ reason: `${entry.name} found no valid fused mapping in ${proposals} proposals (${evaluations.toExponential(3)} evaluations): ${stop}` })
  }
  const joined = mapspace.join(best.choice)
  if (!joined.valid) throw new NoValidMappingError({ reason: `the best choice no longer joins: ${joined.reason}` })
  return {
    strategy: entry.name,
    chosen: chooseMapping({ ...setup, config }, joined.tables, joined.joined.front),
    tables: joined.tables,
    score: best.score,
    evaluations,
    unprunedEvaluations,
    proposals,
    valid,
    seconds: seconds(),
    stop,
    history,
    charges: tables.map((t, e) => ({ einsum: t.einsum, charge: charges[e]!, unprunedCharge: unprunedCharges[e]! })),
    mapspaceSize: mapspace.size
  }
}
