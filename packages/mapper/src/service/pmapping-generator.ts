/**
 * The PmappingGenerator service: an Einsum's Pareto-optimal pmappings, grouped by
 * compatibility. `generateAll` spreads Einsums over worker threads (`jobs`); with a custom
 * ParetoPruner it stays in this thread, so the pruner it was given is the one used.
 */
import { Context, Effect, Layer } from "effect"
import type { EinsumContext, LoadedSpec } from "@effect-accelforge/core"
import { generatePmappings } from "../generate/generate-pmappings.ts"
import { allTables } from "../generate/isomorphic-einsums.ts"
import { budgetOf } from "../generate/limits.ts"
import type { PmappingTable } from "../generate/pmapping-table.ts"
import { paretoFront } from "../pareto/index.ts"
import { generateInWorkers, type TemplateProgress } from "../parallel/generate-in-workers.ts"
import type { SpecRequest } from "../parallel/protocol.ts"
import { generateOptionsOf, type SearchSetup } from "../search/map-workload.ts"
import { attempt, type MapperError } from "./attempt.ts"
import { ParetoPruner } from "./pareto-pruner.ts"

export interface GenerateAllOptions {
  readonly jobs: number
  readonly onProgress?: (p: TemplateProgress) => void
}

export class PmappingGenerator extends Context.Service<PmappingGenerator, {
  readonly generate: (loaded: LoadedSpec, setup: SearchSetup, ctx: EinsumContext) => Effect.Effect<PmappingTable, MapperError>
  readonly generateAll: (request: SpecRequest, loaded: LoadedSpec, setup: SearchSetup, options: GenerateAllOptions) => Effect.Effect<Array<PmappingTable>, MapperError>
}>()("effect-accelforge/mapper/PmappingGenerator") {
  /** Needs its stages provided: swap them for an ablation. */
  static readonly layerWithoutDependencies = Layer.effect(
    PmappingGenerator,
    Effect.gen(function*() {
      const pruner = yield* ParetoPruner
      const generate = (loaded: LoadedSpec, setup: SearchSetup, ctx: EinsumContext, started = Date.now(), onProgress?: (p: TemplateProgress) => void) =>
        attempt(() =>
          generatePmappings(ctx, {
            ...generateOptionsOf(loaded, setup, ctx),
            prune: pruner.front,
            budget: budgetOf(setup.config.time_limit, setup.config.memory_limit, started),
            ...(onProgress === undefined ? {} : { onTemplate: (done: number, total: number) => onProgress({ einsum: ctx.einsum.name, done, total }) })
          })
        )
      return PmappingGenerator.of({
        generate: (loaded, setup, ctx) => generate(loaded, setup, ctx),
        generateAll: (request, loaded, setup, options) => {
          // Einsums with the same search as an earlier one are not searched: their tables are renamed copies.
          const searched = setup.contexts.flatMap((_, i) => (setup.sameSearchAs[i] === i ? [i] : []))
          const inThread = options.jobs <= 1 || searched.length <= 1 || pruner.front !== paretoFront
          const started = Date.now()
          // The others need no search: report them done at once, so progress counts every Einsum.
          setup.contexts.forEach((ctx, i) => {
            const n = setup.templates[i]!.length
            if (setup.sameSearchAs[i] !== i) options.onProgress?.({ einsum: ctx.einsum.name, done: n, total: n })
          })
          const tables = inThread
            ? Effect.forEach(searched, (i) =>
              generate(loaded, setup, setup.contexts[i]!, started, options.onProgress).pipe(Effect.tap(() => Effect.yieldNow)))
            : generateInWorkers(request, setup, options.jobs, options.onProgress, searched)
          return Effect.map(tables, (own) => allTables(setup.contexts, setup.templates, setup.sameSearchAs, (i) => own[searched.indexOf(i)]!))
        }
      })
    })
  )

  /** With the default stages. */
  static readonly layer = this.layerWithoutDependencies.pipe(Layer.provide(ParetoPruner.layer))
}
