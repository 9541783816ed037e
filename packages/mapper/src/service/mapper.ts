/**
 * The Mapper service: a loaded spec in, the best fused mapping out, evaluated by the Evaluator.
 * It composes the PmappingGenerator, the Joiner and (through both) the ParetoPruner; it reads
 * files only when asked to (`mapFiles`, through the SpecLoader). `searchLayer` is the one place
 * that wires the default services together (the CLI, the tests and a user's program all use
 * it); swap any of them for an ablation.
 */
import { Context, Effect, Layer } from "effect"
import { type LoadedSpec, locateError, SpecLoader } from "@effect-accelforge/core"
import { type EvaluationResult, Evaluator, type MappingSource } from "@effect-accelforge/model"
import type { EinsumCounters, PmappingTable } from "../generate/pmapping-table.ts"
import type { JoinGroup } from "../join/join-group.ts"
import type { Incomplete, JoinProgress, JoinStep } from "../join/join-pmappings.ts"
import type { TemplateProgress } from "../parallel/generate-in-workers.ts"
import type { SpecRequest } from "../parallel/protocol.ts"
import { chooseMapping, type FrontPoint, frontPoints } from "../search/pick.ts"
import { searchSetup } from "../search/search-setup.ts"
import { attempt, type MapperError } from "./attempt.ts"
import { Joiner } from "./joiner.ts"
import { ParetoPruner } from "./pareto-pruner.ts"
import { PmappingGenerator } from "./pmapping-generator.ts"
import { stoppable } from "./stop.ts"
import { NoValidMappingError } from "../errors.ts"
import { whyNoPmapping } from "../search/why-no-pmapping.ts"

export interface MapOptions {
  /** Worker threads for the per-Einsum search (1 = this thread). */
  readonly jobs: number
  readonly onProgress?: (p: TemplateProgress) => void
  readonly onJoinProgress?: (p: JoinProgress) => void
  /**
   * Aborting it stops the search (give the reason, e.g. "SIGINT"): during the per-Einsum search
   * the map fails with a SearchStoppedError; during the join it answers with the best complete
   * mapping found so far, marked incomplete.
   */
  readonly stop?: AbortSignal
  /** Called once a complete mapping exists (the join's unfused best-so-far): from then on a stop answers with a mapping. */
  readonly onBestSoFar?: () => void
  /**
   * Run every search stage on worker threads, even with one job (when the pruner names its
   * module), so that this thread stays free to take a signal and stop them at once (the CLI);
   * small work still runs here (`smallInThread`), briefly enough for a signal to wait.
   */
  readonly inWorkers?: boolean
  /**
   * Small work stays on this thread (default true): the per-Einsum search starts worker threads
   * only for what a short probe here leaves (in-thread-first.ts), and a small join runs here
   * (joiner.ts). False: worker threads whenever asked for, as tests of the threads themselves need.
   */
  readonly smallInThread?: boolean
}

/** One point of the front over the asked objectives, as the Evaluator evaluates it. */
export interface EvaluatedPoint extends FrontPoint {
  readonly evaluation: EvaluationResult
}

/** What a search of a whole workload gives, whichever strategy ran (search/run-strategy.ts). */
export interface SearchResult {
  readonly source: MappingSource
  /** The chosen mapping as the Evaluator evaluates it. */
  readonly evaluation: EvaluationResult
  /** The mapper's own objectives for the chosen row (the model's re-evaluation is `evaluation`). */
  readonly objectives: Readonly<Record<string, number>>
  /** Rows of the final Pareto front (1 for a single objective or EDP). */
  readonly frontSize: number
  readonly tables: ReadonlyArray<PmappingTable>
  readonly counters: ReadonlyArray<EinsumCounters>
  /** What each join step did (also the lines of `_runtime_log_file`). */
  readonly joinSteps: ReadonlyArray<JoinStep>
  /** The joins made before the full one (the unfused best-so-far, the beam join bounding it): one line each; their time is the join's too. */
  readonly preliminaryJoins?: ReadonlyArray<JoinStep>
  readonly wallTimeMs: number
  /** Set when a stop request or a limit ended the search early: the mapping is then its best found so far. */
  readonly incomplete?: Incomplete
}

/** FFM's result: also the spec searched and the final front with the row chosen from it. */
export interface MapResult extends SearchResult {
  readonly loaded: LoadedSpec
  /** `front.choices[e][row]` is Einsum e's row id in `tables[e]`. */
  readonly front: JoinGroup
  readonly row: number
  /** False when a limit or a stop request ended the join early: the mapping is then the best found so far. */
  readonly complete: boolean
  readonly incomplete?: Incomplete
  /** Every point of the front over the asked objectives, the chosen one first (one for a single objective or EDP). */
  readonly points: ReadonlyArray<EvaluatedPoint>
  /**
   * Threads the per-Einsum search ran on at once, at most: this one and the worker threads it
   * started, never more than `jobs`. Fewer than `jobs` when the work left never paid for a
   * worker (parallel/worker-gate.ts).
   */
  readonly searchThreads: number
}

export class Mapper extends Context.Service<Mapper, {
  /** Search a loaded spec. */
  readonly map: (loaded: LoadedSpec, options: MapOptions) => Effect.Effect<MapResult, MapperError>
  /** Load the spec through the SpecLoader, then search it. */
  readonly mapFiles: (request: SpecRequest, options: MapOptions) => Effect.Effect<MapResult, MapperError>
}>()("effect-accelforge/mapper/Mapper") {
  /** Needs every stage provided: swap them for an ablation (or use `searchLayer`). */
  static readonly layerWithoutDependencies = Layer.effect(
    Mapper,
    Effect.gen(function*() {
      const loader = yield* SpecLoader
      const evaluator = yield* Evaluator
      const generator = yield* PmappingGenerator
      const joiner = yield* Joiner
      const map = (loaded: LoadedSpec, options: MapOptions) =>
        Effect.gen(function*() {
          const started = Date.now()
          const setup = yield* attempt(() => searchSetup(loaded))
          let workersStarted = 0
          const tables = yield* stoppable(
            generator.generate(loaded, setup, {
              jobs: options.jobs, started, onWorkerStart: () => void workersStarted++, ...(options.inWorkers === true ? { inWorkers: true } : {}),
              ...(options.smallInThread === false ? { smallInThread: false } : {}),
              ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress })
            }),
            options.stop,
            "the per-Einsum search (no complete mapping exists before every Einsum is searched)"
          )
          const empty = tables.findIndex((t) => t.groups.length === 0)
          if (empty >= 0) {
            return yield* Effect.fail(new NoValidMappingError({ einsum: tables[empty]!.einsum, reason: yield* attempt(() => whyNoPmapping(loaded, setup, empty)) }))
          }
          const joined = yield* joiner.join(tables, setup, {
            started, ...(options.stop === undefined ? {} : { stop: options.stop }), ...(options.inWorkers === true ? { inWorker: true } : {}),
            ...(options.smallInThread === false ? { smallInThread: false } : {}),
            ...(options.onJoinProgress === undefined ? {} : { onProgress: options.onJoinProgress }),
            ...(options.onBestSoFar === undefined ? {} : { onBestSoFar: options.onBestSoFar })
          })
          const chosen = yield* attempt(() => chooseMapping(setup, tables, joined.front))
          const evaluation = yield* evaluator.evaluate(loaded, chosen.source)
          // A front of one point over the asked objectives is the chosen mapping alone (frontPoints would give it again).
          const others = chosen.frontSize === 1 ? [] : yield* attempt(() => frontPoints(setup, tables, joined.front).filter((p) => p.row !== chosen.row))
          const points = [
            { row: chosen.row, source: chosen.source, objectives: chosen.objectives, evaluation },
            ...yield* Effect.forEach(others, (p) => evaluator.evaluate(loaded, p.source).pipe(Effect.map((e) => ({ ...p, evaluation: e }))))
          ]
          return {
            loaded, evaluation, ...chosen, front: joined.front, tables, counters: tables.map((t) => t.counters),
            joinSteps: joined.steps, ...(joined.preliminaryJoins === undefined ? {} : { preliminaryJoins: joined.preliminaryJoins }), wallTimeMs: Date.now() - started, complete: joined.incomplete === undefined,
            ...(joined.incomplete === undefined ? {} : { incomplete: joined.incomplete }), points,
            searchThreads: Math.max(1, Math.min(options.jobs, 1 + workersStarted))
          }
        }).pipe(Effect.mapError((e) => (e._tag === "EvaluationError" ? locateError(loaded.document.data, e) : e)))
      return Mapper.of({
        map,
        mapFiles: (request, options) => loader.load(request).pipe(Effect.flatMap((loaded) => map(loaded, options)))
      })
    })
  )

  /** The Mapper with every default service (`searchLayer()`). */
  static get layer(): Layer.Layer<Mapper | SpecLoader | Evaluator | ParetoPruner | PmappingGenerator | Joiner> {
    return searchLayer()
  }
}

/** Services to use instead of the defaults (a generator may provide more, e.g. a cache's stats: `Extra`). */
export interface SearchServices<Extra = never> {
  readonly specLoader?: Layer.Layer<SpecLoader>
  readonly evaluator?: Layer.Layer<Evaluator>
  readonly paretoPruner?: Layer.Layer<ParetoPruner>
  readonly pmappingGenerator?: Layer.Layer<PmappingGenerator | Extra, never, ParetoPruner>
  readonly joiner?: Layer.Layer<Joiner, never, ParetoPruner>
}

/**
 * The one composition root: the Mapper and every service it uses (also provided, so a program
 * can load specs and evaluate mappings with the same ones). Each default can be swapped; the
 * generator and joiner are given the pruner.
 */
export const searchLayer = <Extra = never>(
  services: SearchServices<Extra> = {}
): Layer.Layer<Mapper | SpecLoader | Evaluator | ParetoPruner | PmappingGenerator | Joiner | Extra> => {
  const stages = Layer.mergeAll(
    // Without a generator of its own, Extra is never: the default provides PmappingGenerator alone.
    services.pmappingGenerator ?? (PmappingGenerator.layerWithoutDependencies as Layer.Layer<PmappingGenerator | Extra, never, ParetoPruner>),
    services.joiner ?? Joiner.layerWithoutDependencies
  ).pipe(Layer.provideMerge(services.paretoPruner ?? ParetoPruner.layer))
  const all = Layer.mergeAll(stages, services.specLoader ?? SpecLoader.layer, services.evaluator ?? Evaluator.layer)
  return Mapper.layerWithoutDependencies.pipe(Layer.provideMerge(all))
}
