/**
 * Schema building blocks shared by every section of a spec.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { LiteralString } from "../loader/raw.ts"

/** Text the user wrote, quoted or not; decodes to a plain string. */
export { Text } from "../workload/text.ts"

/**
 * A value that is evaluated later (AccelForge's E and TE fields): a number, a boolean, an
 * expression string, a quoted literal string (never evaluated), or null. Kept as written;
 * per-Einsum resolution evaluates it.
 */
export const ExprValue = Schema.Union([
  Schema.Number,
  Schema.Boolean,
  Schema.String,
  Schema.instanceOf(LiteralString),
  Schema.Null
])
export type ExprValue = typeof ExprValue.Type

/** Any YAML value (used where AccelForge accepts any keys, e.g. `variables`). */
export const AnyValue = Schema.Unknown

/** A record of expression values with any keys (variables, extra attributes). */
export const ExprRecord = Schema.Record(Schema.String, Schema.Unknown)

/** `field: Schema` with a default when the key is absent. */
export const withDefault = <S extends Schema.Top>(schema: S, value: S["Encoded"]) =>
  schema.pipe(Schema.withDecodingDefaultKey(Effect.succeed(value)))

export const Bool = Schema.Boolean
