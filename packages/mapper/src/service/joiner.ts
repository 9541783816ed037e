/**
 * The Joiner service: per-Einsum pmapping tables in, the Pareto front of whole fused mappings
 * out (FFM §5). It uses the ParetoPruner it is given for every join-time prune and the search's
 * composition for the objective columns, and writes one JSON line per step to
 * `_runtime_log_file` when the spec asks for it.
 */
import { appendFileSync } from "node:fs"
import { Context, Effect, Layer } from "effect"
import { budgetOf } from "../generate/limits.ts"
import type { PmappingTable } from "../generate/pmapping-table.ts"
import { joinPmappings, type JoinResult, type JoinStep } from "../join/join-pmappings.ts"
import { einsumTensors, type SearchSetup } from "../search/search-setup.ts"
import { attempt, type MapperError } from "./attempt.ts"
import { ParetoPruner } from "./pareto-pruner.ts"

export interface JoinServiceOptions {
  /** When the whole search started (time_limit counts from there). */
  readonly started?: number
  readonly onStep?: (done: number, total: number) => void
}

/** One runtime-log line per join step (AccelForge's `_runtime_log_file`, our field names). */
export const runtimeLogLine = (step: JoinStep): string => JSON.stringify(step)

const writeRuntimeLog = (file: string | null, steps: ReadonlyArray<JoinStep>): Effect.Effect<void> =>
  file === null ? Effect.void : Effect.sync(() => appendFileSync(file, steps.map((s) => runtimeLogLine(s) + "\n").join("")))

export class Joiner extends Context.Service<Joiner, {
  readonly join: (tables: ReadonlyArray<PmappingTable>, setup: SearchSetup, options?: JoinServiceOptions) => Effect.Effect<JoinResult, MapperError>
}>()("effect-accelforge/mapper/Joiner") {
  /** Needs its ParetoPruner provided. */
  static readonly layerWithoutDependencies = Layer.effect(
    Joiner,
    Effect.gen(function*() {
      const pruner = yield* ParetoPruner
      return Joiner.of({
        join: (tables, setup, options = {}) =>
          attempt(() =>
            joinPmappings(tables, {
              config: setup.config,
              einsumTensors: einsumTensors(setup),
              prune: pruner.front,
              composition: setup.composition,
              budget: budgetOf(setup.config, options.started ?? Date.now()),
              ...(options.onStep === undefined ? {} : { onStep: options.onStep })
            })
          ).pipe(Effect.tap((result) => writeRuntimeLog(setup.config._runtime_log_file, result.steps)))
      })
    })
  )

  static readonly layer = this.layerWithoutDependencies.pipe(Layer.provide(ParetoPruner.layer))
}
