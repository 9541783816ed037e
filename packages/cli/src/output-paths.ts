/**
 * The output flags of a command checked before its work starts: a search of minutes must not
 * end in "cannot write" because a directory is missing or read-only.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { EvaluationError, unwritableReason } from "@effect-accelforge/core"

/** Fails with one EvaluationError naming the first flag whose file cannot be written. */
export const checkOutputFiles = (outputs: Readonly<Record<string, Option.Option<string>>>): Effect.Effect<void, EvaluationError> =>
  Effect.suspend(() => {
    for (const [flag, file] of Object.entries(outputs)) {
      if (Option.isNone(file)) continue
      const reason = unwritableReason(file.value)
      if (reason !== undefined) return Effect.fail(new EvaluationError({ path: [flag], reason: `cannot write ${file.value}: ${reason}` }))
    }
    return Effect.void
  })
