/**
 * The Mapper service: a spec in, the best fused mapping out, re-evaluated by the model. It
 * composes the PmappingGenerator, the Joiner and (through both) the ParetoPruner; swap any
 * Layer to run an ablation.
 */
import { Context, Effect, Layer } from "effect"
import { loadSpec } from "@effect-accelforge/core"
import type { TemplateProgress } from "../parallel/generate-in-workers.ts"
import type { SpecRequest } from "../parallel/protocol.ts"
import { finishSearch, type MapResult, searchSetup } from "../search/map-workload.ts"
import { attempt, type MapperError } from "./attempt.ts"
import { ParetoPruner } from "./pareto-pruner.ts"
import { Joiner } from "./joiner.ts"
import { PmappingGenerator } from "./pmapping-generator.ts"

export interface MapOptions {
  /** Worker threads for the per-Einsum search (1 = this thread). */
  readonly jobs: number
  readonly onProgress?: (p: TemplateProgress) => void
}

export class Mapper extends Context.Service<Mapper, {
  readonly map: (request: SpecRequest, options: MapOptions) => Effect.Effect<MapResult, MapperError>
}>()("effect-accelforge/mapper/Mapper") {
  /** Needs its stages provided: swap them for an ablation. */
  static readonly layerWithoutDependencies = Layer.effect(
    Mapper,
    Effect.gen(function*() {
      const generator = yield* PmappingGenerator
      const joiner = yield* Joiner
      return Mapper.of({
        map: (request, options) =>
          Effect.gen(function*() {
            const started = Date.now()
            const loaded = yield* loadSpec({ files: request.files, variables: request.variables, overrides: request.overrides })
            const setup = yield* attempt(() => searchSetup(loaded))
            const tables = yield* generator.generateAll(request, loaded, setup, options)
            const joined = yield* joiner.join(tables, setup, { started })
            return yield* attempt(() => finishSearch(loaded, setup, tables, joined, started))
          })
      })
    })
  )

  /** With the default stages. */
  static readonly layer = this.layerWithoutDependencies.pipe(
    Layer.provide(Layer.mergeAll(PmappingGenerator.layerWithoutDependencies, Joiner.layerWithoutDependencies)),
    Layer.provide(ParetoPruner.layer)
  )
}
