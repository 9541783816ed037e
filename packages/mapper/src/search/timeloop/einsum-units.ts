/**
 * Units of a Timeloop-style search: an Einsum's search threads, all of them in lock step when
 * they sync (`sync_interval` > 0), else one thread per unit (they only meet at the end). A
 * unit's outcome depends on nothing but the spec, the knobs and its seed streams, so units can
 * run in any order, in this thread or on workers, with the same result.
 *
 * For a workload of several Einsums each Einsum is searched alone, as Timeloop maps one layer
 * at a time: only templates that keep every tensor shared with another Einsum in the outermost
 * memory are in its mapspace, so the per-Einsum bests always compose into a valid mapping.
 *
 * A unit is not started once the search is stopped or over its time or memory limit (`runUnit`
 * gives undefined): the Einsums searched so far keep their bests.
 */
import type { LoadedSpec, MapperConfig } from "@effect-accelforge/core"
import { NoValidMappingError } from "../../errors.ts"
import { EinsumMapspace, isUnfused } from "../../mapspace/einsum-mapspace.ts"
import { type Diagnostics, IdEvaluator } from "../../mapspace/evaluate-id.ts"
import { einsumFacts } from "../../template/einsum-facts.ts"
import type { Template } from "../../template/template.ts"
import type { SearchSetup } from "../search-setup.ts"
import { isBetter, type Metric } from "../optimization-metrics.ts"
import { type Interruption, interruptionNow } from "../interruption.ts"
import { Random } from "../random-source.ts"
import type { EinsumStrategyEntry } from "../strategies/strategy.ts"
import { type BestMapping, type Improvement, SearchThread, type StopReason, type ThreadSettings } from "./search-thread.ts"
import { sliceOf, sliceView } from "./slice.ts"

export interface UnitSpec {
  readonly einsum: number
  readonly threads: ReadonlyArray<number>
}

export interface ThreadOutcome {
  readonly einsum: number
  readonly thread: number
  readonly total: number
  readonly valid: number
  readonly stop: StopReason
  readonly seconds: number
  readonly best: BestMapping | undefined
  readonly improvements: ReadonlyArray<Improvement>
  /** Set when the thread stopped early (a stop request, a limit). */
  readonly interruption?: Interruption
}

export interface UnitOutcome {
  readonly einsum: number
  readonly threads: ReadonlyArray<ThreadOutcome>
  readonly diagnostics: Diagnostics
  /** Partial rows the min-usage threshold searches looked at (work outside the evaluations). */
  readonly thresholdRows: number
  /** Mappings in the Einsum's mapspace. */
  readonly mapspaceSize: number
}

export const planUnits = (einsums: number, threads: number, syncInterval: number): Array<UnitSpec> => {
  const all = Array.from({ length: threads }, (_, t) => t)
  return Array.from({ length: einsums }, (_, e) => (syncInterval > 0 ? [{ einsum: e, threads: all }] : all.map((t) => ({ einsum: e, threads: [t] })))).flat()
}

/** The Einsum's templates for a search of its own: all when it is alone, else those that keep shared tensors in the outermost memory. */
export const searchTemplates = (setup: SearchSetup, e: number): Array<Template> => {
  const facts = einsumFacts(setup.contexts[e]!, setup.fusable)
  return setup.templates[e]!.filter((t) => isUnfused(t, facts))
}

export const einsumMapspace = (loaded: LoadedSpec, setup: SearchSetup, e: number): EinsumMapspace => {
  const ctx = setup.contexts[e]!
  const facts = einsumFacts(ctx, setup.fusable)
  const templates = searchTemplates(setup, e)
  if (templates.length === 0) {
    throw new NoValidMappingError({
      einsum: ctx.einsum.name,
      reason: `no template keeps the tensors it shares (${[...facts.fusable].join(", ")}) in the outermost memory, as a per-Einsum (Timeloop-style) search needs; use --search ffm, sa or ga`
    })
  }
  return new EinsumMapspace(ctx, facts, templates, setup.config, loaded, setup.composition)
}

export interface UnitRun {
  readonly loaded: LoadedSpec
  readonly setup: SearchSetup
  readonly entry: EinsumStrategyEntry
  readonly config: MapperConfig
  readonly metrics: ReadonlyArray<Metric>
  readonly settings: Omit<ThreadSettings, "progress">
  readonly progress?: (einsum: number, thread: SearchThread) => void
  /** Called when a thread of Einsum `einsum` improves its best (the first time: the Einsum has a valid mapping). */
  readonly found?: (einsum: number) => void
}

/** The unit's outcome, or undefined when the search was already stopped (or over a limit) before it started. */
export const runUnit = (run: UnitRun, unit: UnitSpec): UnitOutcome | undefined => {
  const search = run.config.search
  const interrupted = () => interruptionNow(run.settings.stop, run.settings.budget, "searching") !== undefined
  if (interrupted()) return undefined
  // Building the mapspace (min_usage thresholds included) is not interruptible: look again after it.
  const mapspace = einsumMapspace(run.loaded, run.setup, unit.einsum)
  if (interrupted()) return undefined
  const evaluator = new IdEvaluator(mapspace, search.diagnostics)
  const name = run.setup.contexts[unit.einsum]!.einsum.name
  const threads = unit.threads.map((t) => {
    const { start, end } = sliceOf(mapspace.factorizations, t, search.num_threads)
    const strategy = run.entry.make(sliceView(mapspace, start, end), search, new Random(search.seed, unit.einsum, t))
    const { progress, found } = run
    return new SearchThread(name, t, strategy, evaluator, start, run.metrics, {
      ...run.settings,
      ...(progress === undefined ? {} : { progress: (thread: SearchThread) => progress(unit.einsum, thread) }),
      ...(found === undefined ? {} : { improved: () => found(unit.einsum) })
    })
  })
  let running = threads
  let shared: BestMapping | undefined
  while (running.length > 0) {
    running = running.filter((t) => t.run() === "sync")
    for (const t of running) shared = sync(t, shared)
  }
  return {
    einsum: unit.einsum,
    threads: threads.map((t, i) => ({
      einsum: unit.einsum, thread: unit.threads[i]!, total: t.total, valid: t.valid, stop: t.stop!, seconds: t.elapsed / 1000, best: t.best, improvements: t.improvements,
      ...(t.interruption === undefined ? {} : { interruption: t.interruption })
    })),
    diagnostics: evaluator.diagnostics,
    thresholdRows: mapspace.thresholdRows,
    mapspaceSize: mapspace.size
  }
}

/**
 * Timeloop's sync of one thread with the shared best (threads at a sync point, in thread order):
 * the thread takes the shared best when it is better, else the shared best takes the thread's
 * when that is better. Returns the shared best.
 */
const sync = (thread: SearchThread, shared: BestMapping | undefined): BestMapping | undefined => {
  if (shared !== undefined && thread.adopt(shared)) return shared
  if (thread.best !== undefined && (shared === undefined || isBetter(thread.best.costs, shared.costs))) return thread.best
  return shared
}
