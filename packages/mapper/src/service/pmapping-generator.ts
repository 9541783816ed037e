/**
 * The PmappingGenerator service: Einsums' Pareto-optimal pmappings, grouped by compatibility.
 * `generate` searches every Einsum, or only the ones asked for (a cache asks for its misses),
 * spread over worker threads (`jobs`) that use the configured ParetoPruner; a pruner that
 * names no module cannot run there, and says so. A search that ends within a short probe on
 * the calling thread starts no worker at all (in-thread-first.ts), and the rest starts its
 * workers only once the work left pays for them (parallel/worker-gate.ts).
 */
import { Context, Effect, Layer } from "effect"
import type { EinsumContext, LoadedSpec } from "@effect-accelforge/core"
import { exactFronts, generatePmappings, openEinsumSearch } from "../generate/generate-pmappings.ts"
import { renamedTable } from "../generate/isomorphic-einsums.ts"
import { budgetOf } from "../generate/limits.ts"
import type { PmappingTable } from "../generate/pmapping-table.ts"
import { generateInWorkers, type TemplateProgress } from "../parallel/generate-in-workers.ts"
import { ServiceConfigurationError } from "../errors.ts"
import { generateOptionsOf, type SearchSetup } from "../search/search-setup.ts"
import { attempt, type MapperError } from "./attempt.ts"
import { inThreadProbeCpuMs, probeOrder, searchInThreadFirst } from "./in-thread-first.ts"
import { ParetoPruner } from "./pareto-pruner.ts"

export interface GenerateTablesOptions {
  /** Worker threads (1 = this thread). */
  readonly jobs: number
  /** Only these Einsums (by name; default: every one), e.g. a cache's misses. */
  readonly einsums?: ReadonlyArray<string>
  /** When the whole search started (time_limit counts from there; default: now). */
  readonly started?: number
  readonly onProgress?: (p: TemplateProgress) => void
  /**
   * Keep this thread responsive (a command line taking signals on it): search on worker threads
   * even with one job or one Einsum (when the pruner names its module), this thread running only
   * short pieces (the probe, and queued jobs of at most `inThreadProbeCpuMs()` of CPU each).
   */
  readonly inWorkers?: boolean
  /** Try the search on this thread first, for a short while (default true; in-thread-first.ts); false: worker threads at once. */
  readonly smallInThread?: boolean
  /** Told as each worker thread starts: how many threads the search ran on (see MapResult's `searchThreads`). */
  readonly onWorkerStart?: () => void
}

/** The Einsums (indices) asked for, and the ones to search for them: each one's first Einsum with the same search. */
const plan = (setup: SearchSetup, names: ReadonlyArray<string> | undefined) => {
  const all = setup.contexts.map((ctx) => ctx.einsum.name)
  const unknown = (names ?? []).filter((n) => !all.includes(n))
  if (unknown.length > 0) {
    throw new ServiceConfigurationError({ service: "PmappingGenerator", reason: `no Einsum named ${unknown.join(", ")}; the workload has ${all.join(", ")}` })
  }
  const wanted = setup.contexts.flatMap((ctx, i) => (names === undefined || names.includes(ctx.einsum.name) ? [i] : []))
  const searched = [...new Set(wanted.map((i) => setup.sameSearchAs[i]!))].sort((a, b) => a - b)
  return { wanted, searched }
}

export class PmappingGenerator extends Context.Service<PmappingGenerator, {
  /** One Einsum's table, in this thread. */
  readonly generateOne: (loaded: LoadedSpec, setup: SearchSetup, ctx: EinsumContext) => Effect.Effect<PmappingTable, MapperError>
  /** The tables of the Einsums asked for (default: all), in workload order. */
  readonly generate: (loaded: LoadedSpec, setup: SearchSetup, options: GenerateTablesOptions) => Effect.Effect<Array<PmappingTable>, MapperError>
}>()("effect-accelforge/mapper/PmappingGenerator") {
  /** Needs its ParetoPruner provided. */
  static readonly layerWithoutDependencies = Layer.effect(
    PmappingGenerator,
    Effect.gen(function*() {
      const pruner = yield* ParetoPruner
      const generateOne = (loaded: LoadedSpec, setup: SearchSetup, ctx: EinsumContext, started = Date.now(), onProgress?: (p: TemplateProgress) => void, budget = budgetOf(setup.config, started)) =>
        attempt(() =>
          generatePmappings(ctx, {
            ...generateOptionsOf(loaded, setup, ctx),
            prune: pruner.front,
            budget,
            ...(onProgress === undefined ? {} : { onTemplate: (done: number, total: number) => onProgress({ einsum: ctx.einsum.name, done, total }) })
          })
        )
      // A small search ends on this thread; worker threads start only for what the probe leaves (in-thread-first.ts).
      const inThreadThenWorkers = (loaded: LoadedSpec, setup: SearchSetup, searched: ReadonlyArray<number>, started: number, options: GenerateTablesOptions) =>
        Effect.gen(function*() {
          const probe = options.smallInThread === false ? [] : probeOrder(setup, searched)
          const probed = yield* searchInThreadFirst(probe, budgetOf(setup.config, started), {
            // Undoable: a template the probe ends inside is taken back, and the search goes on with the queue's jobs.
            open: (i) => openEinsumSearch(setup.contexts[i]!, { ...generateOptionsOf(loaded, setup, setup.contexts[i]!), prune: pruner.front }, true),
            split: exactFronts(setup.config, pruner.front),
            ...(options.onProgress === undefined ? {} : { onTemplate: (i: number, done: number, total: number) => options.onProgress!({ einsum: setup.contexts[i]!.einsum.name, done, total }) })
          })
          const rest = searched.filter((i) => !probed.done.has(i))
          const fromWorkers = rest.length === 0 ? [] : yield* generateInWorkers({
            loaded, setup, pruner: pruner.worker!, jobs: options.jobs, einsums: rest, started,
            // This thread is one of the search's threads; when it must answer a signal promptly, in short pieces only.
            hereToo: options.smallInThread !== false,
            ...(options.inWorkers === true ? { hereCpuMsPerJob: inThreadProbeCpuMs() } : {}),
            ...(probed.begun === undefined ? {} : { begun: probed.begun }),
            ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
            ...(options.onWorkerStart === undefined ? {} : { onWorkerStart: options.onWorkerStart })
          })
          return searched.map((i) => probed.done.get(i) ?? fromWorkers[rest.indexOf(i)]!)
        })
      return PmappingGenerator.of({
        generateOne: (loaded, setup, ctx) => generateOne(loaded, setup, ctx),
        generate: (loaded, setup, options) =>
          Effect.gen(function*() {
            const { wanted, searched } = yield* attempt(() => plan(setup, options.einsums))
            const started = options.started ?? Date.now()
            // Einsums with the same search as another are not searched: report them done at once, so progress counts every Einsum.
            for (const i of wanted) {
              const n = setup.templates[i]!.length
              if (!searched.includes(i)) options.onProgress?.({ einsum: setup.contexts[i]!.einsum.name, done: n, total: n })
            }
            const inThread = options.inWorkers === true ? pruner.worker === undefined : options.jobs <= 1 || searched.length <= 1
            if (!inThread && pruner.worker === undefined) {
              return yield* Effect.fail(new ServiceConfigurationError({
                service: "ParetoPruner",
                reason: `the pruner names no module, so worker threads cannot use it: make it with ParetoPruner.make(front, { module, name }) or search with jobs: 1 (asked for ${options.jobs})`
              }))
            }
            const own = inThread
              ? yield* Effect.forEach(searched, (i) => generateOne(loaded, setup, setup.contexts[i]!, started, options.onProgress).pipe(Effect.tap(() => Effect.yieldNow)))
              : yield* inThreadThenWorkers(loaded, setup, searched, started, options)
            return wanted.map((i) => {
              const first = setup.sameSearchAs[i]!
              const table = own[searched.indexOf(first)]!
              return first === i ? table : renamedTable(table, setup.contexts[first]!, setup.contexts[i]!, setup.templates[i]!)
            })
          })
      })
    })
  )

  /** With the default pruner. */
  static readonly layer = this.layerWithoutDependencies.pipe(Layer.provide(ParetoPruner.layer))
}
