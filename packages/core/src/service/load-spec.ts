/**
 * Loading a spec end to end: files + Jinja variables -> raw document -> `--set` overrides ->
 * Schema validation -> workload analysis and variables. Every failure is typed.
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import { EvaluationError, type SpecError } from "../errors.ts"
import { loadSpecDocument, parseYamlValue } from "../loader/index.ts"
import { locateError } from "../loader/locate.ts"
import type { LoadLimits } from "../loader/limits.ts"
import type { RawDocument } from "../loader/raw.ts"
import { catchEvaluation } from "../resolve/fail.ts"
import { evaluateRecord } from "../resolve/variables.ts"
import { decodeSpec } from "../spec/decode.ts"
import type { LoadedSpec } from "../spec/loaded-spec.ts"
import { applyOverride, splitOverride } from "../spec/overrides.ts"
import { analyzeWorkload } from "../workload/analyze.ts"

export interface LoadSpecOptions {
  readonly files: ReadonlyArray<string>
  /** Jinja variables, already parsed. */
  readonly variables?: Readonly<Record<string, unknown>>
  /** `PATH=VALUE` overrides as typed on the command line. */
  readonly overrides?: ReadonlyArray<string>
  /** Bounds on loading (limits.ts); the defaults when absent. */
  readonly limits?: LoadLimits
}

/** Parse `KEY=VALUE` command-line definitions (VALUE as YAML). */
export const parseDefines = (defines: ReadonlyArray<string>): Result.Result<Record<string, unknown>, EvaluationError> => {
  const out: Record<string, unknown> = {}
  for (const d of defines) {
    const eq = d.indexOf("=")
    const key = eq > 0 ? d.slice(0, eq).trim() : ""
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      return Result.fail(new EvaluationError({ path: ["-D"], reason: `expected KEY=VALUE with KEY an identifier, got '${d}'` }))
    }
    const parsed = catchAny(() => parseYamlValue(d.slice(eq + 1), `-D ${key}`))
    if (!parsed.ok) return Result.fail(new EvaluationError({ path: ["-D", key], reason: parsed.reason }))
    out[key] = parsed.value
  }
  return Result.succeed(out)
}

const catchAny = <A>(f: () => A): { ok: true; value: A } | { ok: false; reason: string } => {
  try {
    return { ok: true, value: f() }
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) }
  }
}

const applyOverrides = (doc: RawDocument, overrides: ReadonlyArray<string>): Result.Result<RawDocument, EvaluationError> => {
  let data = doc.data
  for (const text of overrides) {
    const split = splitOverride(text)
    if (split === undefined) {
      return Result.fail(new EvaluationError({ path: ["--set"], reason: `expected PATH=VALUE, got '${text}'` }))
    }
    const value = catchAny(() => parseYamlValue(split.valueText, `--set ${text}`))
    if (!value.ok) return Result.fail(new EvaluationError({ path: [...split.path], reason: `--set ${text}: ${value.reason}` }))
    const applied = catchEvaluation(() => applyOverride(data, { path: split.path, value: value.value, text }))
    if (!applied.ok) return Result.fail(applied.error)
    data = applied.value
  }
  return Result.succeed({ ...doc, data })
}

const locate = (doc: RawDocument, error: EvaluationError): EvaluationError => locateError(doc.data, error)

/**
 * Every command needs Einsums to work on: say so plainly when there are none (rather than
 * failing later on a name like `Intermediates` that only Einsums define). The library still
 * loads an arch alone; the command line calls this.
 */
export const requireEinsums = (loaded: LoadedSpec): Result.Result<LoadedSpec, EvaluationError> => {
  const problem = missingWorkload(loaded.document, loaded.spec.workload.einsums.length)
  return problem === undefined ? Result.succeed(loaded) : Result.fail(problem)
}

const missingWorkload = (doc: RawDocument, einsums: number): EvaluationError | undefined => {
  const files = doc.files.length === 0 ? "" : ` (read: ${doc.files.join(", ")})`
  if (!Object.hasOwn(doc.data, "workload")) {
    return new EvaluationError({
      path: ["workload"],
      reason: `the spec has no workload: no file gives a top-level 'workload' key${files}; add a workload file to the command`
    })
  }
  if (einsums > 0) return undefined
  return locate(doc, new EvaluationError({ path: ["workload", "einsums"], reason: "the workload has no Einsums (workload.einsums is empty or missing); there is nothing to map" }))
}

/** Validate and analyse an already-loaded raw document. */
export const buildLoadedSpec = (doc: RawDocument): Result.Result<LoadedSpec, EvaluationError> => {
  const spec = decodeSpec(doc.data)
  if (Result.isFailure(spec)) return Result.fail(spec.failure)
  const workload = analyzeWorkload(spec.success.workload)
  if (Result.isFailure(workload)) return Result.fail(locate(doc, workload.failure))
  const variables = catchEvaluation(() => evaluateRecord(spec.success.variables, [], ["variables"]))
  if (!variables.ok) return Result.fail(locate(doc, variables.error))
  return Result.succeed({
    spec: spec.success,
    document: doc,
    workload: workload.success,
    variables: variables.value,
    warnings: doc.warnings ?? []
  })
}

/** Load, override, validate and analyse. */
export const loadSpec = (options: LoadSpecOptions): Effect.Effect<LoadedSpec, SpecError> =>
  Effect.gen(function*() {
    const doc = yield* loadSpecDocument(options.files, options.variables ?? {}, options.limits)
    const overridden = applyOverrides(doc, options.overrides ?? [])
    if (Result.isFailure(overridden)) return yield* Effect.fail(overridden.failure)
    const loaded = buildLoadedSpec(overridden.success)
    if (Result.isFailure(loaded)) return yield* Effect.fail(loaded.failure)
    return loaded.success
  })
