/**
 * Resolution walks deeply nested data; rather than threading a Result through every field,
 * it raises an EvaluationError and the stage boundary (`resolveEinsum`) turns it into a
 * typed failure. Nothing else is ever thrown from here.
 */
import { EvaluationError } from "../errors.ts"

export type Path = ReadonlyArray<string>

export const fail = (path: Path, reason: string): never => {
  throw new EvaluationError({ path: [...path], reason })
}

/** Run `f`, turning a raised EvaluationError into a value; other exceptions are bugs and propagate. */
export const catchEvaluation = <A>(f: () => A): { ok: true; value: A } | { ok: false; error: EvaluationError } => {
  try {
    return { ok: true, value: f() }
  } catch (e) {
    if (e instanceof EvaluationError) return { ok: false, error: e }
    throw e
  }
}
