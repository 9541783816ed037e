/**
 * Run one registered strategy on a loaded spec: FFM through the Mapper service (today's `run`),
 * a Timeloop-style strategy per Einsum on `jobs` workers, or a whole-workload strategy over the
 * per-Einsum tables the PmappingGenerator makes (on `jobs` workers, the same tables as FFM's).
 * Every result carries the chosen mapping as the model evaluates it, the evaluations the
 * strategy was charged and the history of its best score.
 *
 * Every strategy is an anytime search: stopped (`stop`, a signal's AbortSignal) or out of
 * `mapper.time_limit` / `memory_limit`, it answers with its best complete mapping so far, marked
 * incomplete (`result.incomplete`), as FFM does, or fails with the stop's or limit's error when
 * none exists yet. sa and ga run on this thread in slices, so a signal is taken between them.
 */
import { Effect } from "effect"
import type { LoadedSpec, MapperConfig } from "@effect-accelforge/core"
import { composition as compositionOf, Evaluator } from "@effect-accelforge/model"
import { budgetOf } from "../generate/limits.ts"
import type { PmappingTable } from "../generate/pmapping-table.ts"
import type { TemplateProgress } from "../parallel/generate-in-workers.ts"
import { encodeSpec } from "../parallel/spec-transfer.ts"
import { attempt, type MapperError } from "../service/attempt.ts"
import { Mapper, type SearchResult } from "../service/mapper.ts"
import { PmappingGenerator } from "../service/pmapping-generator.ts"
import { stoppable } from "../service/stop.ts"
import { stopFlagOf } from "../service/stop-flag.ts"
import { einsumTensors, searchSetup } from "./search-setup.ts"
import { NoValidMappingError } from "../errors.ts"
import { checkKnobs, STRATEGIES, strategyNamed } from "./strategies/registry.ts"
import type { StrategyEntry } from "./strategies/strategy.ts"
import { timeloopHistory } from "./timeloop/timeloop-history.ts"
import { interruptionOf, runUnits, type ThreadProgress, timeloopResult, type TimeloopResult } from "./timeloop/timeloop-search.ts"
import { unsupportedByEinsumStrategies } from "./unsupported-knobs.ts"
import { type HistoryPoint, totalsOfEvaluation, workloadScore } from "./workload-score.ts"
import { WorkloadSearch, type WorkloadSearchResult } from "./workload/workload-search.ts"
import { nextTurn } from "../service/next-turn.ts"

export interface StrategyOptions {
  readonly jobs: number
  /** FFM's and the tables' progress (templates per Einsum). */
  readonly onTemplates?: (p: TemplateProgress) => void
  /** A Timeloop-style search's progress (mappings per thread). */
  readonly onThreads?: (p: ThreadProgress) => void
  readonly log?: (line: string) => void
  /** The mapper config to run with (default: the spec's); `compare` sets a budget here. */
  readonly config?: MapperConfig
  /** FFM's per-Einsum tables when already made (sa and ga then do not make them again). */
  readonly tables?: ReadonlyArray<PmappingTable>
  /** Check that every knob set is one this strategy reads (default true; `compare` checks its whole list). */
  readonly checkKnobs?: boolean
  /**
   * Aborting it (give the reason, e.g. "SIGINT") stops the search: it then answers with its best
   * complete mapping so far, marked incomplete, or fails with a SearchStoppedError when none exists.
   */
  readonly stop?: AbortSignal
  /** Called once a complete mapping exists: from then on a stop answers with a mapping. */
  readonly onBestSoFar?: () => void
  /** Run the searches on worker threads even with one job, so this thread stays free to take a signal (the CLI). */
  readonly inWorkers?: boolean
}

/** sa and ga search this long on this thread before the event loop gets a turn (a signal can then be taken). */
const SLICE_MS = 50


const runInSlices = (search: WorkloadSearch): Effect.Effect<WorkloadSearchResult, MapperError> =>
  Effect.gen(function*() {
    while (!(yield* attempt(() => search.run(SLICE_MS)))) yield* nextTurn
    return yield* attempt(() => search.result())
  })

interface RunBase {
  readonly strategy: string
  readonly result: SearchResult
  /** The spec metric's score of the result (as `workloadScore` ranks it). */
  readonly score: number
  readonly evaluations: number
  readonly seconds: number
  readonly history: ReadonlyArray<HistoryPoint>
}

export type StrategyRun =
  | RunBase & { readonly kind: "ffm" }
  | RunBase & { readonly kind: "einsum"; readonly timeloop: TimeloopResult }
  | RunBase & { readonly kind: "workload"; readonly workload: WorkloadSearchResult; readonly tablesSeconds: number }

/** FFM's evaluations: every tile row it looked at (AccelForge's "evaluated"). */
export const ffmEvaluations = (result: SearchResult): number => result.counters.reduce((s, c) => s + c.evaluated, 0)

/** The strategy `run` uses: `--search NAME`, else `mapper.search.algorithm`. */
export const selectedStrategy = (config: MapperConfig, flag?: string): StrategyEntry => strategyNamed(flag ?? config.search.algorithm)

/**
 * `strategy` is a registered name, or an entry of your own (not registered: a per-Einsum one
 * then runs in this thread only, since workers find strategies by name). The chosen mapping of
 * every strategy is evaluated by the Evaluator service, as FFM's is.
 */
export const runStrategy = (
  strategy: string | StrategyEntry, loaded: LoadedSpec, options: StrategyOptions
): Effect.Effect<StrategyRun, MapperError, Mapper | PmappingGenerator | Evaluator> =>
  Effect.gen(function*() {
    const config = options.config ?? loaded.spec.mapper
    const entry = typeof strategy === "string" ? yield* attempt(() => strategyNamed(strategy)) : strategy
    if (entry.kind === "einsum" && options.jobs > 1 && !STRATEGIES.includes(entry)) {
      return yield* Effect.fail(new NoValidMappingError({ reason: `strategy ${entry.name} is not in the registry (STRATEGIES), so it cannot run on workers: use one job, or register it` }))
    }
    if (options.checkKnobs !== false) yield* attempt(() => checkKnobs(config.search, [entry]))
    const started = Date.now()
    const seconds = () => (Date.now() - started) / 1000
    const { stop, onBestSoFar } = options
    const stopOptions = { ...(stop === undefined ? {} : { stop }), ...(onBestSoFar === undefined ? {} : { onBestSoFar }) }
    const inWorkers = options.inWorkers === true ? { inWorkers: true } : {}
    if (entry.kind === "ffm") {
      const mapper = yield* Mapper
      const result = yield* mapper.map(loaded, {
        jobs: options.jobs, ...stopOptions, ...inWorkers, ...(options.onTemplates === undefined ? {} : { onProgress: options.onTemplates })
      })
      // The Mapper's setup composes Einsums in the default mode.
      const composition = compositionOf()
      const score = workloadScore(config.metrics, totalsOfEvaluation(composition, result.evaluation))
      const evaluations = ffmEvaluations(result)
      return { kind: "ffm", strategy: entry.name, result, score, evaluations, seconds: seconds(), history: [{ evaluations, seconds: seconds(), score }] } as const
    }
    const setup = yield* attempt(() => searchSetup(loaded, config))
    const evaluator = yield* Evaluator
    // Loops on this thread and on workers see a stop through this flag (they never yield to hear the signal).
    const flag = stopFlagOf(stop)
    if (entry.kind === "einsum") {
      yield* attempt(() => unsupportedByEinsumStrategies(loaded, config, entry.name))
      const request = { spec: encodeSpec(loaded), strategy: entry.name, config, mode: setup.composition.mode, started, ...(flag === undefined ? {} : { stop: flag }) }
      const units = yield* runUnits(loaded, setup, entry, request, {
        jobs: options.jobs, ...inWorkers, ...(onBestSoFar === undefined ? {} : { onBestSoFar }),
        ...(options.onThreads === undefined ? {} : { onProgress: options.onThreads }), ...(options.log === undefined ? {} : { log: options.log })
      })
      const interruption = interruptionOf(config, setup, units, request)
      const timeloop = yield* attempt(() => timeloopResult(setup, entry, config, units, interruption))
      const evaluation = yield* evaluator.evaluate(loaded, timeloop.source)
      const result: SearchResult = {
        source: timeloop.source, evaluation, objectives: { energy: evaluation.energy, latency: evaluation.latency }, frontSize: 1,
        tables: [], counters: [], joinSteps: [], wallTimeMs: Date.now() - started,
        ...(timeloop.incomplete === undefined ? {} : { incomplete: timeloop.incomplete })
      }
      const evaluations = timeloop.einsums.reduce((s, e) => s + e.mappings, 0)
      const score = workloadScore(config.metrics, totalsOfEvaluation(setup.composition, result.evaluation))
      const elapsed = seconds()
      // Replaying the threads for the history is reporting, not search: it is not timed. A stopped
      // search answers at once (a signal leaves it under a second): its history is its last point.
      const history = timeloop.incomplete === undefined
        ? yield* attempt(() => timeloopHistory(loaded, setup, units))
        : [{ evaluations, seconds: elapsed, score }]
      return { kind: "einsum", strategy: entry.name, result, score, evaluations, seconds: elapsed, history, timeloop } as const
    }
    const generator = yield* PmappingGenerator
    const tables = options.tables ?? (yield* stoppable(
      generator.generate(loaded, setup, { jobs: options.jobs, started, ...inWorkers, ...(options.onTemplates === undefined ? {} : { onProgress: options.onTemplates }) }),
      stop,
      `the per-Einsum tables ${entry.name} chooses from (no complete mapping exists before they are made)`
    ))
    const tablesSeconds = seconds()
    const search = yield* attempt(() =>
      new WorkloadSearch(setup, tables, entry, config, einsumTensors(setup), {
        budget: budgetOf(config, started), ...(flag === undefined ? {} : { stop: flag }), ...(onBestSoFar === undefined ? {} : { onBestSoFar })
      })
    )
    const workload = yield* runInSlices(search)
    const result: SearchResult = {
      source: workload.chosen.source, evaluation: yield* evaluator.evaluate(loaded, workload.chosen.source),
      objectives: workload.chosen.objectives, frontSize: workload.chosen.frontSize, tables: workload.tables,
      counters: workload.tables.map((t) => t.counters), joinSteps: [], wallTimeMs: Date.now() - started,
      ...(workload.incomplete === undefined ? {} : { incomplete: workload.incomplete })
    }
    return {
      kind: "workload", strategy: entry.name, result, score: workload.score, evaluations: workload.evaluations, seconds: workload.seconds,
      history: workload.history, workload, tablesSeconds
    } as const
  })
