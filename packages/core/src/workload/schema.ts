/**
 * Schemas of the raw `workload:` section, with AccelForge's defaults. The decoded types are the
 * types: an Einsum entry of any form (verbose dict, string, `{einsum: ...}` dict, nested list)
 * decodes to the verbose `Einsum`, and Einsum-level renames decode to `RenameEntry`s.
 * Decode with `onExcessProperty: "error"` (see `decodeWorkload`) so unknown keys are rejected.
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"
import * as SchemaIssue from "effect/SchemaIssue"
import { EvaluationError } from "../errors.ts"
import { textOf } from "../loader/raw.ts"
import type { RenameEntry as RenameEntryShape } from "../sets/rename-entry.ts"
import { withDefault } from "../spec/primitives.ts"
import { type EinsumFormIssue, expandEinsumDict, expandEinsumString } from "./einsum-string.ts"
import { Text } from "./text.ts"

/** A record whose keys must all match `pattern` (reported per key). */
const keysMatching = (pattern: RegExp, rule: string) =>
  Schema.makeFilter((record: { readonly [key: string]: unknown }) => {
    const bad = Object.keys(record).filter((key) => !pattern.test(key))
    return bad.length === 0 ? undefined : bad.map((key) => ({ path: [key], issue: `${JSON.stringify(key)}: ${rule}` }))
  })

/** `{Rank: value}`: ranks start with an uppercase letter. */
export const RankRecord = <V extends Schema.Top>(value: V) =>
  Schema.Record(Schema.String, value).check(keysMatching(/^[A-Z]/, "a rank name must start with an uppercase letter"))

/** `{rank_variable: value}`: rank variables start with a lowercase letter. */
export const RankVariableRecord = <V extends Schema.Top>(value: V) =>
  Schema.Record(Schema.String, value).check(keysMatching(/^[a-z]/, "a rank variable must start with a lowercase letter"))

/** A number, or quoted/unquoted text holding one (`'8'`). */
const NumberLike = Schema.Union([Schema.Finite, Text]).pipe(
  Schema.decodeTo(Schema.Finite, {
    decode: SchemaGetter.transformEffect((u: number | string) => {
      const n = typeof u === "number" ? u : u.trim() === "" ? Number.NaN : Number(u)
      return Number.isFinite(n)
        ? Effect.succeed(n)
        : Effect.fail(new SchemaIssue.InvalidValue({ message: `expected a number, got ${JSON.stringify(u)}` }, u))
    }),
    encode: SchemaGetter.transform((n: number) => n)
  })
)

// ---------------------------------------------------------------------------------------------
// RenameList

/** A normalised rename (same shape as `RenameEntry` in `sets/rename-entry.ts`). */
export const RenameEntrySchema = Schema.Struct({
  name: Schema.String,
  source: Schema.String,
  expectedCount: Schema.optionalKey(Schema.Union([Schema.String, Schema.Number]))
})

const RenameListItem = Schema.Struct({
  name: Text,
  source: Text,
  expected_count: Schema.optionalKey(Schema.NullOr(Schema.Union([Schema.Finite, Text])))
})

/** `{new: source}` or `[{name, source, expected_count?}]`, decoded to ordered `RenameEntry`s. */
export const RenameList = Schema.Union([Schema.Array(RenameListItem), Schema.Record(Schema.String, Text)]).pipe(
  Schema.decodeTo(Schema.Array(RenameEntrySchema), {
    decode: SchemaGetter.transform((raw): ReadonlyArray<RenameEntryShape> => {
      if (Array.isArray(raw)) {
        return (raw as ReadonlyArray<typeof RenameListItem.Type>).map((r) =>
          r.expected_count === undefined || r.expected_count === null
            ? { name: r.name, source: r.source }
            : { name: r.name, source: r.source, expectedCount: r.expected_count }
        )
      }
      return Object.entries(raw as { readonly [k: string]: string }).map(([name, source]) => ({ name, source }))
    }),
    encode: SchemaGetter.transform((entries) =>
      entries.map((e) =>
        e.expectedCount === undefined
          ? { name: e.name, source: e.source }
          : { name: e.name, source: e.source, expected_count: e.expectedCount }
      )
    )
  })
)

// ---------------------------------------------------------------------------------------------
// Tensor accesses and Einsums

/** `[m, n0]` or `{Rank: expression}`; checked and parsed by `projection.ts`. */
export const ProjectionInput = Schema.Union([Schema.Array(Text), Schema.Record(Schema.String, Text)])

export const TensorAccess = Schema.Struct({
  name: Text,
  projection: ProjectionInput,
  output: withDefault(Schema.Boolean, false),
  persistent: withDefault(Schema.Boolean, false),
  backing_storage_size_scale: withDefault(Schema.Finite, 1),
  /** Not evaluated; overrides the workload `bits_per_value`. */
  bits_per_value: Schema.optionalKey(Schema.Finite)
})
export type TensorAccess = typeof TensorAccess.Type

/** The verbose Einsum; every other entry form decodes to this. */
export const Einsum = Schema.Struct({
  name: Text,
  tensor_accesses: Schema.Array(TensorAccess),
  /** Extra ISL constraints for this Einsum, e.g. `0 <= r0 < 3`. */
  iteration_space_shape: withDefault(Schema.Array(Text), []),
  /** Not evaluated; wins over the workload `rank_sizes` for this Einsum. */
  rank_sizes: withDefault(RankRecord(Schema.Int), {}),
  is_copy_operation: withDefault(Schema.Boolean, false),
  renames: withDefault(RenameList, []),
  n_instances: withDefault(Schema.Int, 1)
})
export type Einsum = typeof Einsum.Type

const EntryList = Schema.Array(Schema.Unknown)

const isRecord = (u: unknown): u is { readonly [key: string]: unknown } =>
  u !== null && typeof u === "object" && !Array.isArray(u) && textOf(u) === undefined

/** Flattens nested lists depth first and expands string / `{einsum:}` entries to verbose dicts. */
const expandEntries = (
  input: ReadonlyArray<unknown>,
  options: { readonly errors?: "first" | "all" | undefined }
): Effect.Effect<ReadonlyArray<unknown>, SchemaIssue.Issue> => {
  const out: Array<unknown> = []
  const issues: Array<SchemaIssue.Issue> = []
  const walk = (list: ReadonlyArray<unknown>, prefix: ReadonlyArray<number>): boolean => {
    for (const [index, entry] of list.entries()) {
      const path = [...prefix, index]
      if (Array.isArray(entry)) {
        if (!walk(entry, path)) return false
        continue
      }
      let expanded: Result.Result<unknown, EinsumFormIssue>
      const text = textOf(entry)
      if (text !== undefined) expanded = expandEinsumString(text)
      else if (isRecord(entry)) expanded = Object.hasOwn(entry, "einsum") ? expandEinsumDict(entry) : Result.succeed(entry)
      else {
        expanded = Result.fail({
          path: [],
          message: "expected an Einsum: a mapping, an Einsum string, {einsum: ...}, or a list of these"
        })
      }
      if (Result.isSuccess(expanded)) out.push(expanded.success)
      else {
        issues.push(
          new SchemaIssue.Pointer(
            [...path, ...expanded.failure.path],
            new SchemaIssue.InvalidValue({ message: expanded.failure.message }, entry)
          )
        )
        if (options.errors !== "all") return false
      }
    }
    return true
  }
  walk(input, [])
  const [first, ...rest] = issues
  if (first === undefined) return Effect.succeed(out)
  return Effect.fail(rest.length === 0 ? first : new SchemaIssue.Composite(EntryList.ast, [first, ...rest], input))
}

/** `einsums:`: a list of entries of any form, nested lists flattened depth first. */
export const EinsumEntries = EntryList.pipe(
  Schema.decodeTo(Schema.Array(Einsum), {
    decode: SchemaGetter.transformEffect((input: ReadonlyArray<unknown>, options) =>
      expandEntries(input, options) as Effect.Effect<ReadonlyArray<typeof Einsum.Encoded>, SchemaIssue.Issue>
    ),
    encode: SchemaGetter.transform((einsums: ReadonlyArray<unknown>) => einsums)
  })
)

// ---------------------------------------------------------------------------------------------
// Workload

/** One entry of the workload `bits_per_value` dict: a set expression and its (unevaluated) value. */
export const BitsPerValueEntry = Schema.Struct({ expression: Schema.String, value: Schema.Finite })
export type BitsPerValueEntry = typeof BitsPerValueEntry.Type

/** `{set-expr: bits}`, kept as ordered entries; evaluated per Einsum by the set machinery. */
export const BitsPerValue = Schema.Record(Schema.String, NumberLike).pipe(
  Schema.decodeTo(Schema.Array(BitsPerValueEntry), {
    decode: SchemaGetter.transform((dict: { readonly [k: string]: number }) =>
      Object.entries(dict).map(([expression, value]) => ({ expression, value }))
    ),
    encode: SchemaGetter.transform((entries: ReadonlyArray<BitsPerValueEntry>) =>
      Object.fromEntries(entries.map((e) => [e.expression, e.value]))
    )
  })
)

/** A workload rank size: an int, or an expression (evaluated by `rank-sizes.ts`). */
export const RankSizeValue = Schema.Union([Schema.Int, Text])
export type RankSizeValue = typeof RankSizeValue.Type

export const Workload = Schema.Struct({
  einsums: withDefault(EinsumEntries, []),
  rank_sizes: withDefault(RankRecord(RankSizeValue), {}),
  iteration_space_shape: withDefault(RankVariableRecord(Text), {}),
  bits_per_value: withDefault(BitsPerValue, {}),
  persistent_tensors: Schema.optionalKey(Text),
  n_instances: withDefault(Schema.Int, 1)
})
export type Workload = typeof Workload.Type

/** The decode options every spec section uses. */
export const strictDecodeOptions = { onExcessProperty: "error", errors: "all" } as const

const formatPath = (path: ReadonlyArray<unknown> | undefined): ReadonlyArray<string> =>
  (path ?? []).map((p) => (typeof p === "object" && p !== null && "key" in p ? String((p as { key: unknown }).key) : String(p)))

/**
 * Decodes a raw `workload:` value. A failure becomes an EvaluationError whose path is
 * `prefix` + the first issue's path, and whose reason lists every issue.
 */
export const decodeWorkload = (
  raw: unknown,
  prefix: ReadonlyArray<string> = ["workload"]
): Result.Result<Workload, EvaluationError> => {
  const decoded = Schema.decodeUnknownResult(Workload)(raw ?? {}, strictDecodeOptions)
  if (Result.isSuccess(decoded)) return Result.succeed(decoded.success)
  const entries = SchemaIssue.makeFormatterStandardSchemaV1()(decoded.failure.issue).issues
  const first = entries[0]
  const reason = entries.length <= 1
    ? first?.message ?? decoded.failure.message
    : entries.map((e) => `${[...prefix, ...formatPath(e.path)].join(".")}: ${e.message}`).join("; ")
  return Result.fail(new EvaluationError({ path: [...prefix, ...formatPath(first?.path)], reason }))
}
