/** Running the pure, throwing search stages inside Effect: known failures become typed errors. */
import { Effect, Schema } from "effect"
import { EvaluationError, SpecLoadError } from "@effect-accelforge/core"
import { InvalidMappingError } from "@effect-accelforge/model"
import { NoValidMappingError, SearchLimitError, SearchStoppedError, ServiceConfigurationError } from "../errors.ts"

/** Every typed failure of a search, as one Schema: it also carries them across worker threads. */
export const MapperError = Schema.Union([
  EvaluationError,
  SpecLoadError,
  SearchLimitError,
  SearchStoppedError,
  NoValidMappingError,
  InvalidMappingError,
  ServiceConfigurationError
])
export type MapperError = typeof MapperError.Type

const isMapperError = Schema.is(MapperError)

/** Run `f`; a typed failure it throws fails the Effect, anything else is a defect (a bug). */
export const attempt = <A>(f: () => A): Effect.Effect<A, MapperError> =>
  Effect.suspend(() => {
    try {
      return Effect.succeed(f())
    } catch (e) {
      if (isMapperError(e)) return Effect.fail(e)
      return Effect.die(e)
    }
  })
