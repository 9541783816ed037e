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
 *
 * The search runs in slices (`WorkloadSearch.run`), so a driver on the main thread can let the
 * event loop take a signal between them. A stop request (the stop flag) or `mapper.time_limit` /
 * `memory_limit`, checked every 64 proposals, ends it with its incumbent, marked incomplete; with
 * no valid choice yet it fails with the stop's or the limit's error.
 */
import type { MapperConfig } from "@effect-accelforge/core"
import { NoValidMappingError } from "../../errors.ts"
import type { Budget } from "../../generate/limits.ts"
import type { Incomplete } from "../../join/join-pmappings.ts"
import type { StopFlag } from "../../service/stop-flag.ts"
import type { PmappingTable } from "../../generate/pmapping-table.ts"
import { copyChoice, type WorkloadChoice, WorkloadMapspace } from "../../mapspace/workload-mapspace.ts"
import { chooseMapping, type ChosenMapping } from "../pick.ts"
import { type Interruption, interruptionError, interruptionNow } from "../interruption.ts"
import { Random } from "../random-source.ts"
import type { SearchSetup } from "../search-setup.ts"
import type { SearchStrategy, WorkloadStrategyEntry } from "../strategies/strategy.ts"
import { type HistoryPoint, totalsOfObjectives, workloadScore } from "../workload-score.ts"

export type WorkloadStop = "score_target" | "max_evaluations" | "time_limit" | "strategy done" | "stopped early"

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
  /** Set when a stop request or a limit ended the search early: `chosen` is its best so far. */
  readonly incomplete?: Incomplete
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

export interface WorkloadSearchOptions {
  /** `mapper.time_limit` and `memory_limit`: exceeding one ends the search early, with its best so far. */
  readonly budget?: Budget
  /** Raised, the search ends early with its best so far. */
  readonly stop?: StopFlag
  /** Called once the search has a valid choice (a complete mapping exists from then on). */
  readonly onBestSoFar?: () => void
}

/** A whole-workload search that runs in slices: `run` until it returns true, then `result`. */
export class WorkloadSearch {
  private readonly mapspace: WorkloadMapspace
  private readonly charges: Array<number>
  private readonly unprunedCharges: Array<number>
  private readonly strategy: SearchStrategy<WorkloadChoice>
  private readonly started = performance.now()
  private readonly history: Array<HistoryPoint> = []
  private evaluations = 0
  private unprunedEvaluations = 0
  private best: { choice: WorkloadChoice; score: number } | undefined
  private proposals = 0
  private valid = 0
  private stop: WorkloadStop | undefined
  private interruption: Interruption | undefined

  private readonly setup: SearchSetup
  private readonly tables: ReadonlyArray<PmappingTable>
  private readonly entry: WorkloadStrategyEntry
  private readonly config: MapperConfig
  private readonly options: WorkloadSearchOptions

  constructor(
    setup: SearchSetup, tables: ReadonlyArray<PmappingTable>, entry: WorkloadStrategyEntry, config: MapperConfig,
    einsumTensors: ReadonlyArray<ReadonlySet<string>>, options: WorkloadSearchOptions = {}
  ) {
    this.setup = setup
    this.tables = tables
    this.entry = entry
    this.config = config
    this.options = options
    this.mapspace = new WorkloadMapspace(tables, einsumTensors, config, setup.composition)
    this.charges = chargesOf(tables)
    this.unprunedCharges = chargesOf(tables, "total")
    this.mapspace.charge = (e) => {
      this.evaluations += this.charges[e]!
      this.unprunedEvaluations += this.unprunedCharges[e]!
    }
    this.strategy = entry.make(this.mapspace, config.search, new Random(config.search.seed))
  }

  private seconds(): number {
    return (performance.now() - this.started) / 1000
  }

  private stopReason(): WorkloadStop | undefined {
    const search = this.config.search
    if (this.best !== undefined && search.score_target !== null && this.best.score <= search.score_target) return "score_target"
    if (this.evaluations >= search.max_evaluations) return "max_evaluations"
    if (this.seconds() > search.time_limit) return "time_limit"
    return undefined
  }

  /** Search for at most `sliceMs` milliseconds (checked every 64 proposals); true once the search is over. */
  run(sliceMs = Infinity): boolean {
    if (this.stop !== undefined) return true
    const until = performance.now() + sliceMs
    for (;;) {
      this.stop = this.stopReason()
      if (this.stop !== undefined) return true
      const choice = this.strategy.next()
      if (choice === undefined) {
        this.stop = "strategy done"
        return true
      }
      if ((++this.proposals & 63) === 0) {
        this.interruption = interruptionNow(this.options.stop, this.options.budget, `searching with ${this.entry.name} (${this.proposals} fused mappings joined)`)
        if (this.interruption !== undefined) {
          this.stop = "stopped early"
          return true
        }
        if (performance.now() >= until) return false
      }
      this.propose(choice)
    }
  }

  private propose(choice: WorkloadChoice): void {
    const joined = this.mapspace.join(choice)
    if (!joined.valid) {
      this.strategy.report("eval-failure", Infinity)
      return
    }
    this.valid++
    const score = workloadScore(this.config.metrics, totalsOfObjectives(this.setup.composition, this.config.metrics, joined.objectives))
    this.strategy.report("success", score)
    if (this.best === undefined || score < this.best.score) {
      if (this.best === undefined) this.options.onBestSoFar?.()
      this.best = { choice: copyChoice(choice), score }
      this.history.push({ evaluations: this.evaluations, seconds: this.seconds(), score, unprunedEvaluations: this.unprunedEvaluations })
    }
  }

  result(): WorkloadSearchResult {
    const { best, stop, entry } = this
    if (stop === undefined) throw new Error("WorkloadSearch.result() before the search is over")
    if (best === undefined) {
      const tried = `${entry.name} found no valid fused mapping in ${this.proposals} proposals (${this.evaluations.toExponential(3)} evaluations)`
      if (this.interruption !== undefined) throw interruptionError(this.interruption, `no complete mapping existed yet: ${tried}`)
      throw new NoValidMappingError({ reason: `${tried}: ${stop}` })
    }
    const joined = this.mapspace.join(best.choice)
    if (!joined.valid) throw new NoValidMappingError({ reason: `the best choice no longer joins: ${joined.reason}` })
    return {
      strategy: entry.name,
      chosen: chooseMapping({ ...this.setup, config: this.config }, joined.tables, joined.joined.front),
      tables: joined.tables,
      score: best.score,
      evaluations: this.evaluations,
      unprunedEvaluations: this.unprunedEvaluations,
      proposals: this.proposals,
      valid: this.valid,
      seconds: this.seconds(),
      stop,
      history: this.history,
      charges: this.tables.map((t, e) => ({ einsum: t.einsum, charge: this.charges[e]!, unprunedCharge: this.unprunedCharges[e]! })),
      mapspaceSize: this.mapspace.size,
      ...(this.interruption === undefined ? {} : {
        incomplete: {
          ...this.interruption,
          unexplored: `${entry.name} stopped after ${this.proposals} fused mappings joined (${this.valid} valid) of ${this.mapspace.size.toExponential(3)} combinations; the answer is the best of them`
        }
      })
    }
  }
}

/** The whole search at once, on this thread. */
export const searchWorkload = (
  setup: SearchSetup, tables: ReadonlyArray<PmappingTable>, entry: WorkloadStrategyEntry, config: MapperConfig,
  einsumTensors: ReadonlyArray<ReadonlySet<string>>, options: WorkloadSearchOptions = {}
): WorkloadSearchResult => {
  const search = new WorkloadSearch(setup, tables, entry, config, einsumTensors, options)
  search.run()
  return search.result()
}
