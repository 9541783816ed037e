/** Running the pure, throwing search stages inside Effect: known failures become typed errors. */
import { Effect } from "effect"
import { EvaluationError, SpecLoadError } from "@effect-accelforge/core"
import { InvalidMappingError } from "@effect-accelforge/model"
import { NoValidMappingError, SearchLimitError } from "../errors.ts"

export type MapperError = EvaluationError | SpecLoadError | SearchLimitError | NoValidMappingError | InvalidMappingError

const isMapperError = (e: unknown): e is MapperError =>
  e instanceof EvaluationError || e instanceof SpecLoadError || e instanceof SearchLimitError || e instanceof NoValidMappingError ||
  e instanceof InvalidMappingError

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
