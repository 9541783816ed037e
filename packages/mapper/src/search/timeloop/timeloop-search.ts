/**
 * A Timeloop-style search of a whole workload: every Einsum searched alone by `num_threads`
 * threads of the chosen strategy, the units of work spread over `jobs` workers (or run here
 * with one job), each Einsum's best over its threads kept, and the bests composed into one
 * mapping that the model evaluates, so the numbers reported are the model's.
 *
 * Stopping (a stop flag raised, `mapper.time_limit` or `memory_limit`) ends the running threads
 * early and starts no further unit; when every Einsum has a best by then, the composed mapping is
 * the answer, marked incomplete with what was not searched, else the search fails with the
 * limit's or the stop's error.
 */
import { Effect, Result } from "effect"
import type { LoadedSpec, MapperConfig } from "@effect-accelforge/core"
import { evaluateMapping, type MappingSource, type OverlapMode } from "@effect-accelforge/model"
import { NoValidMappingError, type SearchLimitError, type SearchStoppedError } from "../../errors.ts"
import type { Incomplete } from "../../join/join-pmappings.ts"
import type { StopFlag } from "../../service/stop-flag.ts"
import { type Interruption, interruptionError, interruptionNow } from "../interruption.ts"
import { budgetOf } from "../../generate/limits.ts"
import { attempt, type MapperError } from "../../service/attempt.ts"
import { rowMappingNodes } from "../../evaluate/evaluate-row.ts"
import type { SpecMessage } from "../../parallel/spec-transfer.ts"
import { shareOut } from "../../parallel/generate-in-workers.ts"
import { runWorkerThread, type WorkerEnd } from "../../parallel/worker-thread.ts"
import { fusedMapping } from "../../result/fused-mapping.ts"
import type { SearchSetup } from "../search-setup.ts"
import { isBetter, type Metric, optimizationMetrics } from "../optimization-metrics.ts"
import type { EinsumStrategyEntry } from "../strategies/strategy.ts"
import { RULE_NAMES } from "../../mapspace/validity.ts"
import { describeTemplate } from "../../template/template.ts"
import { planUnits, searchTemplates, runUnit, type ThreadOutcome, type UnitOutcome, type UnitSpec } from "./einsum-units.ts"
import type { BestMapping, SearchThread, ThreadSettings } from "./search-thread.ts"

export interface ThreadProgress {
  readonly einsum: string
  readonly thread: number
  readonly mappings: number
  readonly valid: number
  /** The thread's best first optimization metric so far. */
  readonly best: number | undefined
}

export interface TimeloopOptions {
  readonly jobs: number
  readonly onProgress?: (p: ThreadProgress) => void
  /** Where `log_stats` and `log_suboptimal` lines go. */
  readonly log?: (line: string) => void
  /** Run the units on worker threads even with one job (this thread stays free to take a signal). */
  readonly inWorkers?: boolean
  /** Called once every Einsum has a valid mapping (a complete mapping exists from then on). */
  readonly onBestSoFar?: () => void
}

/**
 * The termination knobs as each thread applies them; `max_evaluations` and `time_limit` are
 * shared out evenly over every Einsum's threads (a thread counts its own search time), so no
 * Einsum is starved by the ones searched before it.
 */
export const threadSettings = (
  config: MapperConfig, einsums: number, started: number, log: (line: string) => void, stop?: StopFlag
): Omit<ThreadSettings, "progress"> => {
  const s = config.search
  const threads = einsums * s.num_threads
  return {
    timeout: s.timeout,
    victoryCondition: s.victory_condition,
    searchSize: s.search_size,
    syncInterval: s.sync_interval,
    maxEvaluations: Number.isFinite(s.max_evaluations) ? Math.max(1, Math.floor(s.max_evaluations / threads)) : Infinity,
    timeLimit: s.time_limit / threads,
    logStats: s.log_stats,
    logSuboptimal: s.log_suboptimal,
    log,
    budget: budgetOf(config, started),
    ...(stop === undefined ? {} : { stop })
  }
}

const progressOf = (setup: SearchSetup, onProgress: TimeloopOptions["onProgress"]) =>
  onProgress === undefined
    ? undefined
    : (einsum: number, t: SearchThread) =>
      onProgress({ einsum: setup.contexts[einsum]!.einsum.name, thread: t.index, mappings: t.total, valid: t.valid, best: t.best?.costs[0] })

export interface UnitsRequest {
  /** The spec the main thread loaded (parallel/spec-transfer.ts). */
  readonly spec: SpecMessage
  readonly strategy: string
  readonly config: MapperConfig
  readonly mode: OverlapMode
  /** `Date.now()` when the search started (for `mapper.time_limit`). */
  readonly started: number
  /** Shared with the workers: raised, their threads stop early. */
  readonly stop?: StopFlag
}

export type UnitWorkerMessage =
  | { readonly _tag: "progress"; readonly progress: ThreadProgress }
  /** A thread of Einsum `einsum` found its first valid mapping. */
  | { readonly _tag: "found"; readonly einsum: number }
  | { readonly _tag: "log"; readonly line: string }
  | { readonly _tag: "unit"; readonly outcome: UnitOutcome }
  | WorkerEnd

const WORKER_URL = new URL("./unit-worker.ts", import.meta.url)

const runWorker = (units: UnitsRequest, share: ReadonlyArray<UnitSpec>, options: TimeloopOptions, found: (einsum: number) => void) => {
  const outcomes: Array<UnitOutcome> = []
  return runWorkerThread<UnitWorkerMessage, Array<UnitOutcome>>(WORKER_URL, { ...units, units: share }, (m) => {
    if (m._tag === "progress") options.onProgress?.(m.progress)
    else if (m._tag === "found") found(m.einsum)
    else if (m._tag === "log") options.log?.(m.line)
    else if (m._tag === "unit") outcomes.push(m.outcome)
  }, () => outcomes)
}

/** Calls `onBestSoFar` once every Einsum was found a valid mapping. */
const foundTracker = (einsums: number, onBestSoFar: (() => void) | undefined): (einsum: number) => void => {
  const found = new Set<number>()
  return (einsum) => {
    if (found.has(einsum)) return
    found.add(einsum)
    if (found.size === einsums) onBestSoFar?.()
  }
}

/**
 * The outcome of every unit run, in unit order, run here (one job) or on `jobs` workers: the
 * same outcomes either way. Units not started because the search was stopped are left out.
 */
export const runUnits = (
  loaded: LoadedSpec, setup: SearchSetup, entry: EinsumStrategyEntry, units: UnitsRequest, options: TimeloopOptions
): Effect.Effect<Array<UnitOutcome>, MapperError> => {
  const config = units.config
  const plan = planUnits(setup.contexts.length, config.search.num_threads, config.search.sync_interval)
  const log = options.log ?? (() => {})
  const found = foundTracker(setup.contexts.length, options.onBestSoFar)
  if (options.inWorkers !== true && (options.jobs <= 1 || plan.length <= 1)) {
    const metrics = optimizationMetrics(config, setup.composition)
    const settings = threadSettings(config, setup.contexts.length, units.started, log, units.stop)
    const progress = progressOf(setup, options.onProgress)
    return Effect.forEach(plan, (unit) =>
      attempt(() => runUnit({ loaded, setup, entry, config, metrics, settings, found, ...(progress === undefined ? {} : { progress }) }, unit)).pipe(Effect.tap(() => Effect.yieldNow)))
      .pipe(Effect.map((outcomes) => outcomes.filter((o) => o !== undefined)))
  }
  // Larger Einsums first, round robin: the same share-out FFM's workers use.
  const key = (u: UnitSpec): string => `${u.einsum}:${u.threads.join(",")}`
  const weight = new Map(plan.map((u) => [key(u), setup.contexts[u.einsum]!.einsum.rankVariables.reduce((w, r) => w * Math.log2(r.bound + 1), 1)] as const))
  const shares = shareOut(plan.map(key), (k) => weight.get(k)!, Math.max(1, options.jobs)).map((keys) => keys.map((k) => plan.find((u) => key(u) === k)!))
  return Effect.forEach(shares, (share) => runWorker(units, share, options, found), { concurrency: "unbounded" }).pipe(
    Effect.map((results) => {
      const byKey = new Map<string, UnitOutcome>(results.flat().map((o) => [`${o.einsum}:${o.threads.map((t) => t.thread).join(",")}`, o]))
      return plan.flatMap((u) => byKey.get(key(u)) ?? [])
    })
  )
}

export interface EinsumReport {
  readonly einsum: string
  /** Mappings in the Einsum's mapspace. */
  readonly mapspaceSize: number
  readonly threads: ReadonlyArray<Omit<ThreadOutcome, "best" | "improvements"> & { readonly improvements: number }>
  readonly mappings: number
  readonly valid: number
  readonly best: { readonly energy: number; readonly latency: number; readonly costs: Readonly<Record<string, number>> }
  /** Invalid mappings per rule. */
  readonly diagnostics: Readonly<Record<string, number>>
  readonly examples: ReadonlyArray<{ readonly rule: string; readonly template: string; readonly reason: string }>
  readonly thresholdRows: number
  readonly seconds: number
}

export interface TimeloopResult {
  readonly strategy: string
  readonly metrics: ReadonlyArray<Metric>
  /** The composed mapping (the caller has the Evaluator evaluate it). */
  readonly source: MappingSource
  readonly einsums: ReadonlyArray<EinsumReport>
  readonly units: ReadonlyArray<UnitOutcome>
  /** Set when the search was stopped early: the mapping composes each Einsum's best so far. */
  readonly incomplete?: Incomplete
}

/** The best over an Einsum's threads (lexicographic with Timeloop's tolerance; the first thread wins ties). */
export const einsumBest = (threads: ReadonlyArray<ThreadOutcome>): BestMapping | undefined =>
  threads.reduce<BestMapping | undefined>((b, t) => (t.best !== undefined && (b === undefined || isBetter(t.best.costs, b.costs)) ? t.best : b), undefined)

/** The unit outcomes of Einsum `e`, threads in order. */
export const threadsOf = (units: ReadonlyArray<UnitOutcome>, e: number): Array<ThreadOutcome> =>
  units.filter((u) => u.einsum === e).flatMap((u) => u.threads).sort((a, b) => a.thread - b.thread)

/** The per-Einsum bests as one (unfused) mapping. */
export const composedSource = (setup: SearchSetup, bests: ReadonlyArray<BestMapping>): MappingSource =>
  fusedMapping(bests.map((b, e) => {
    const template = searchTemplates(setup, e)[b.template]!
    return { einsum: template.einsum, nodes: rowMappingNodes(template, b.tiles, 0), fusedAt: [], attach: 0 }
  }))

/** The per-Einsum bests as one (unfused) mapping, evaluated by the model with the search's composition. */
export const composedMapping = (loaded: LoadedSpec, setup: SearchSetup, bests: ReadonlyArray<BestMapping>) => {
  const source = composedSource(setup, bests)
  const evaluated = evaluateMapping(loaded, source, setup.composition)
  if (Result.isFailure(evaluated)) throw evaluated.failure
  return { source, evaluation: evaluated.success }
}

const noMapping = (setup: SearchSetup, e: number, units: ReadonlyArray<UnitOutcome>): NoValidMappingError => {
  const own = units.filter((u) => u.einsum === e)
  const counts = new Float64Array(RULE_NAMES.length)
  for (const u of own) u.diagnostics.counts.forEach((c, i) => (counts[i] = counts[i]! + c))
  const why = RULE_NAMES.flatMap((name, i) => (counts[i]! > 0 ? [`${counts[i]} ${name}`] : [])).join(", ")
  const stops = [...new Set(own.flatMap((u) => u.threads.map((t) => t.stop)))].join(", ")
  const tried = own.reduce((s, u) => s + u.threads.reduce((x, t) => x + t.total, 0), 0)
  const seconds = own.reduce((s, u) => s + u.threads.reduce((x, t) => x + t.seconds, 0), 0)
  const example = own.flatMap((u) => u.diagnostics.examples).find((x) => x !== undefined)
  return new NoValidMappingError({
    einsum: setup.contexts[e]!.einsum.name,
    reason: `the search found no valid mapping in ${tried} tries (${seconds.toFixed(1)} s) before it stopped (${stops}); invalid mappings by rule: ${why || "none tried"}` +
      (example === undefined ? " (mapper.search.diagnostics=true gives an example of each)" : `; e.g. ${example.rule}: ${example.reason}`)
  })
}

/**
 * Why the search stopped early, if it did: a thread's interruption, else (units were left out)
 * the stop or limit in force now.
 */
export const interruptionOf = (
  config: MapperConfig, setup: SearchSetup, units: ReadonlyArray<UnitOutcome>, request: Pick<UnitsRequest, "stop" | "started">
): Interruption | undefined => {
  const own = units.flatMap((u) => u.threads).find((t) => t.interruption !== undefined)?.interruption
  if (own !== undefined) return own
  const planned = planUnits(setup.contexts.length, config.search.num_threads, config.search.sync_interval).length
  if (units.length === planned) return undefined
  const left = setup.contexts.flatMap((ctx, e) => (units.some((u) => u.einsum === e) ? [] : [ctx.einsum.name]))
  const doing = `searching Einsum by Einsum${left.length > 0 ? ` (${left.join(", ")} not started)` : ""}`
  return interruptionNow(request.stop, budgetOf(config, request.started), doing) ?? { cause: "a stop request", reason: `stopped while ${doing}` }
}

/** What a stopped search left out: the Einsums whose threads stopped early or did not all run. */
const unexplored = (config: MapperConfig, setup: SearchSetup, units: ReadonlyArray<UnitOutcome>): string => {
  const threads = config.search.num_threads
  const partial = setup.contexts.flatMap((ctx, e) => {
    const own = threadsOf(units, e)
    if (own.length === threads && own.every((t) => t.interruption === undefined)) return []
    const tried = own.reduce((s, t) => s + t.total, 0)
    const size = units.find((u) => u.einsum === e)!.mapspaceSize
    return [`${ctx.einsum.name} (${tried} mappings tried, in a mapspace of ${size}${own.length < threads ? `; ${threads - own.length} of its ${threads} threads not run` : ""})`]
  })
  return `the search of Einsum ${partial.join(", ")} ended before its stopping rules did; the answer composes each Einsum's best mapping so far`
}

export const timeloopResult = (
  setup: SearchSetup, entry: EinsumStrategyEntry, config: MapperConfig, units: ReadonlyArray<UnitOutcome>, interruption?: Interruption
): TimeloopResult => {
  const metrics = optimizationMetrics(config, setup.composition)
  const missing = setup.contexts.flatMap((ctx, e) => (einsumBest(threadsOf(units, e)) === undefined ? [ctx.einsum.name] : []))
  if (interruption !== undefined && missing.length > 0) throw stoppedWithout(interruption, missing)
  const bests = setup.contexts.map((_, e) => {
    const best = einsumBest(threadsOf(units, e))
    if (best === undefined) throw noMapping(setup, e, units)
    return best
  })
  const source = composedSource(setup, bests)
  const einsums = setup.contexts.map((ctx, e): EinsumReport => {
    const threads = threadsOf(units, e)
    const own = units.filter((u) => u.einsum === e)
    const counts = new Float64Array(RULE_NAMES.length)
    for (const u of own) u.diagnostics.counts.forEach((c, i) => (counts[i] = counts[i]! + c))
    const templates = searchTemplates(setup, e)
    const best = bests[e]!
    return {
      einsum: ctx.einsum.name,
      mapspaceSize: own[0]!.mapspaceSize,
      threads: threads.map(({ best: _, improvements, ...t }) => ({ ...t, improvements: improvements.length })),
      mappings: threads.reduce((s, t) => s + t.total, 0),
      valid: threads.reduce((s, t) => s + t.valid, 0),
      best: { energy: best.energy, latency: best.latency, costs: Object.fromEntries(metrics.map((m, i) => [m, best.costs[i]!])) },
      diagnostics: Object.fromEntries(RULE_NAMES.flatMap((name, i) => (i === 0 ? [] : [[name, counts[i]!] as const]))),
      examples: own.flatMap((u) => u.diagnostics.examples).flatMap((x) => (x === undefined ? [] : [{ ...x, template: describeTemplate(templates[x.template]!) }]))
        .filter((x, i, all) => all.findIndex((y) => y.rule === x.rule) === i),
      thresholdRows: own.reduce((s, u) => s + u.thresholdRows, 0),
      seconds: threads.reduce((s, t) => s + t.seconds, 0)
    }
  })
  return {
    strategy: entry.name, metrics, units, einsums, source,
    ...(interruption === undefined ? {} : { incomplete: { ...interruption, unexplored: unexplored(config, setup, units) } })
  }
}

/** The error of a search stopped before every Einsum had a valid mapping. */
const stoppedWithout = (interruption: Interruption, missing: ReadonlyArray<string>): SearchLimitError | SearchStoppedError =>
  interruptionError(
    interruption,
    `no complete mapping existed yet: no valid mapping of Einsum ${missing.join(", ")} had been found (the per-Einsum search maps one Einsum after another)`
  )
