/**
 * Tests run the search the way the CLI and a user's program do: the Mapper service from the
 * one composition root (`searchLayer`), with any service swapped.
 */
import { Effect, Exit, type Layer } from "effect"
import type { LoadedSpec, MapperConfig } from "@effect-accelforge/core"
import { type MapOptions, Mapper, type MapperError, type MapResult, searchLayer, type SpecRequest } from "../../src/index.ts"

type SearchLayer = Layer.Layer<Mapper>

/** Search a loaded spec (default: one thread, default services). */
export const mapSpec = (loaded: LoadedSpec, options: MapOptions = { jobs: 1 }, layer: SearchLayer = searchLayer()): Promise<MapResult> =>
  Effect.runPromise(Effect.gen(function*() {
    return yield* (yield* Mapper).map(loaded, options)
  }).pipe(Effect.provide(layer)))

/** Load and search files through the SpecLoader. */
export const mapFiles = (request: SpecRequest, options: MapOptions = { jobs: 1 }, layer: SearchLayer = searchLayer()): Promise<MapResult> =>
  Effect.runPromise(Effect.gen(function*() {
    return yield* (yield* Mapper).mapFiles(request, options)
  }).pipe(Effect.provide(layer)))

/** The typed failure of a search (fails the test if the search succeeds or dies). */
export const mapFailure = async (run: Effect.Effect<MapResult, MapperError, Mapper>, layer: SearchLayer = searchLayer()): Promise<MapperError> => {
  const exit = await Effect.runPromiseExit(run.pipe(Effect.provide(layer)))
  if (Exit.isSuccess(exit)) throw new Error("the search succeeded; a typed failure was expected")
  const error = exit.cause.reasons.find((r) => r._tag === "Fail")
  if (error === undefined) throw new Error(`the search died instead of failing: ${String(exit.cause)}`)
  return error.error as MapperError
}

/** The search of a loaded spec, as an Effect (for `mapFailure`). */
export const mapping = (loaded: LoadedSpec, options: MapOptions = { jobs: 1 }): Effect.Effect<MapResult, MapperError, Mapper> =>
  Effect.gen(function*() {
    return yield* (yield* Mapper).map(loaded, options)
  })

/** The same spec with another mapper configuration. */
export const withConfig = (loaded: LoadedSpec, config: MapperConfig): LoadedSpec => ({ ...loaded, spec: { ...loaded.spec, mapper: config } })
