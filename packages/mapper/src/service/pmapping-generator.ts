/**
 * The PmappingGenerator service: an Einsum's Pareto-optimal pmappings, grouped by
 * compatibility. `generateAll` spreads Einsums over worker threads (`jobs`); with a custom
 * ParetoPruner it stays in this thread, so the pruner it was given is the one used.
 */
import { Context, Effect, Layer } from "effect"
import type { EinsumContext, LoadedSpec } from "@effect-accelforge/core"
import { generatePmappings } from "../generate/generate-pmappings.ts"
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
          const inThread = options.jobs <= 1 || setup.contexts.length <= 1 || pruner.front !== paretoFront
          if (!inThread) return generateInWorkers(request, setup, options.jobs, options.onProgress)
          const started = Date.now()
          return Effect.forEach(setup.contexts, (ctx) =>
            generate(loaded, setup, ctx, started, options.onProgress).pipe(Effect.tap(() => Effect.yieldNow)))
        }
      })
    })
  )

  /** With the default stages. */
  static readonly layer = this.layerWithoutDependencies.pipe(Layer.provide(ParetoPruner.layer))
}
