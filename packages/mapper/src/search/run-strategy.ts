/**
 * Run one registered strategy on a loaded spec: FFM through the Mapper service (today's `run`),
 * a Timeloop-style strategy per Einsum on `jobs` workers, or a whole-workload strategy over the
 * per-Einsum tables the PmappingGenerator makes (on `jobs` workers, the same tables as FFM's).
 * Every result carries the chosen mapping as the model evaluates it, the evaluations the
 * strategy was charged and the history of its best score.
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
import { einsumTensors, searchSetup } from "./search-setup.ts"
import { NoValidMappingError } from "../errors.ts"
import { checkKnobs, STRATEGIES, strategyNamed } from "./strategies/registry.ts"
import type { StrategyEntry } from "./strategies/strategy.ts"
import { timeloopHistory } from "./timeloop/timeloop-history.ts"
import { runUnits, type ThreadProgress, timeloopResult, type TimeloopResult } from "./timeloop/timeloop-search.ts"
import { unsupportedByEinsumStrategies } from "./unsupported-knobs.ts"
import { type HistoryPoint, totalsOfEvaluation, workloadScore } from "./workload-score.ts"
import { searchWorkload, type WorkloadSearchResult } from "./workload/workload-search.ts"

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
}

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
    if (entry.kind === "ffm") {
      const mapper = yield* Mapper
      const result = yield* mapper.map(loaded, { jobs: options.jobs, ...(options.onTemplates === undefined ? {} : { onProgress: options.onTemplates }) })
      // The Mapper's setup composes Einsums in the default mode.
      const composition = compositionOf()
      const score = workloadScore(config.metrics, totalsOfEvaluation(composition, result.evaluation))
      const evaluations = ffmEvaluations(result)
      return { kind: "ffm", strategy: entry.name, result, score, evaluations, seconds: seconds(), history: [{ evaluations, seconds: seconds(), score }] } as const
    }
    const setup = yield* attempt(() => searchSetup(loaded, config))
    const evaluator = yield* Evaluator
    if (entry.kind === "einsum") {
      yield* attempt(() => unsupportedByEinsumStrategies(loaded, config, entry.name))
      const units = yield* runUnits(loaded, setup, entry, { spec: encodeSpec(loaded), strategy: entry.name, config, mode: setup.composition.mode, started }, {
        jobs: options.jobs, ...(options.onThreads === undefined ? {} : { onProgress: options.onThreads }), ...(options.log === undefined ? {} : { log: options.log })
      })
      const timeloop = yield* attempt(() => timeloopResult(setup, entry, config, units))
      const evaluation = yield* evaluator.evaluate(loaded, timeloop.source)
      const result: SearchResult = {
        source: timeloop.source, evaluation, objectives: { energy: evaluation.energy, latency: evaluation.latency }, frontSize: 1,
        tables: [], counters: [], joinSteps: [], wallTimeMs: Date.now() - started
      }
      const evaluations = timeloop.einsums.reduce((s, e) => s + e.mappings, 0)
      const score = workloadScore(config.metrics, totalsOfEvaluation(setup.composition, result.evaluation))
      const elapsed = seconds()
      // Replaying the threads for the history is reporting, not search: it is not timed.
      const history = yield* attempt(() => timeloopHistory(loaded, setup, units))
      return { kind: "einsum", strategy: entry.name, result, score, evaluations, seconds: elapsed, history, timeloop } as const
    }
    const generator = yield* PmappingGenerator
    const tables = options.tables ??
      (yield* generator.generate(loaded, setup, { jobs: options.jobs, started, ...(options.onTemplates === undefined ? {} : { onProgress: options.onTemplates }) }))
    const tablesSeconds = seconds()
    const workload = yield* attempt(() => searchWorkload(setup, tables, entry, config, einsumTensors(setup), budgetOf(config, started)))
    const result: SearchResult = {
      source: workload.chosen.source, evaluation: yield* evaluator.evaluate(loaded, workload.chosen.source),
      objectives: workload.chosen.objectives, frontSize: workload.chosen.frontSize, tables: workload.tables,
      counters: workload.tables.map((t) => t.counters), joinSteps: [], wallTimeMs: Date.now() - started
    }
    return {
      kind: "workload", strategy: entry.name, result, score: workload.score, evaluations: workload.evaluations, seconds: workload.seconds,
      history: workload.history, workload, tablesSeconds
    } as const
  })
