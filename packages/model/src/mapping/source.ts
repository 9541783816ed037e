/**
 * Where a mapping comes from: the spec's own `mapping:` section, or a separate file loaded
 * with the same loader (Jinja variables included). A separate file's `mapping` key is taken
 * explicitly, so the first-file-wins rule for top-level keys never hides it.
 */
import { Effect, Result, Schema } from "effect"
import {
  combineErrors,
  EvaluationError,
  issuesToErrors,
  type LoadedSpec,
  loadSpecDocument,
  Mapping,
  type SpecError
} from "@effect-accelforge/core"

export interface MappingSource {
  readonly mapping: Mapping
  /** The raw document the mapping was read from (`{mapping: ...}`), for file and line in errors. */
  readonly root: unknown
}

/** The mapping written in the spec itself, if any. */
export const mappingOfSpec = (loaded: LoadedSpec): MappingSource | undefined =>
  loaded.spec.mapping === undefined ? undefined : { mapping: loaded.spec.mapping, root: loaded.document.data }

/** Validate a raw `mapping:` value (a file may also hold the mapping itself, with `nodes:` at the top). */
export const decodeMapping = (data: Record<string, unknown>): Result.Result<MappingSource, EvaluationError> => {
  const root = "mapping" in data ? data : "nodes" in data ? { mapping: data } : undefined
  if (root === undefined) {
    return Result.fail(new EvaluationError({ path: ["mapping"], reason: "the mapping file has neither a `mapping:` key nor `nodes:`" }))
  }
  const decoded = Schema.decodeUnknownResult(Mapping)(root.mapping, { errors: "all", onExcessProperty: "error" })
  if (Result.isSuccess(decoded)) return Result.succeed({ mapping: decoded.success, root })
  const errors = issuesToErrors(root.mapping, decoded.failure.issue).map((e) =>
    new EvaluationError({ ...e, path: ["mapping", ...e.path] })
  )
  return Result.fail(combineErrors(errors))
}

/** Load a mapping file (Jinja + YAML) with the given variables. */
export const loadMappingFile = (
  file: string,
  variables: Readonly<Record<string, unknown>> = {}
): Effect.Effect<MappingSource, SpecError> =>
  Effect.gen(function*() {
    const doc = yield* loadSpecDocument([file], variables)
    const source = decodeMapping(doc.data)
    if (Result.isFailure(source)) return yield* Effect.fail(source.failure)
    return source.success
  })
