/**
 * The Mapper service: a spec in, the best mapping out, re-evaluated by the model. It composes
 * the PmappingGenerator (and through it the ParetoPruner); swap either Layer to run an
 * ablation. Until joining lands, Einsums are mapped alone and their results added.
 */
import { Context, Effect, Layer } from "effect"
import { loadSpec } from "@effect-accelforge/core"
import type { TemplateProgress } from "../parallel/generate-in-workers.ts"
import type { SpecRequest } from "../parallel/protocol.ts"
import { finishUnfused, type MapResult, searchSetup } from "../unfused/map-unfused.ts"
import { attempt, type MapperError } from "./attempt.ts"
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
      return Mapper.of({
        map: (request, options) =>
          Effect.gen(function*() {
            const started = Date.now()
            const loaded = yield* loadSpec({ files: request.files, variables: request.variables, overrides: request.overrides })
            const setup = yield* attempt(() => searchSetup(loaded))
            const tables = yield* generator.generateAll(request, loaded, setup, options)
            return yield* attempt(() => finishUnfused(loaded, setup, tables, started))
          })
      })
    })
  )

  /** With the default stages. */
  static readonly layer = this.layerWithoutDependencies.pipe(Layer.provide(PmappingGenerator.layer))
}
