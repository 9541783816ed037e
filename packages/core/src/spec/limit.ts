/**
 * A count or limit that may be infinite: a number, or `inf` (YAML 1.2 reads `inf` as a
 * string and `.inf` as a number).
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"
import * as SchemaIssue from "effect/SchemaIssue"

const INFINITE_WORDS = new Set(["inf", "+inf", "infinity", "+infinity"])

export const Limit = Schema.Unknown.pipe(
  Schema.decodeTo(Schema.Number, {
    decode: SchemaGetter.transformEffect((u: unknown) => {
      if (typeof u === "number" && !Number.isNaN(u)) return Effect.succeed(u)
      if (typeof u === "string" && INFINITE_WORDS.has(u.trim().toLowerCase())) return Effect.succeed(Infinity)
      return Effect.fail(new SchemaIssue.InvalidValue({ message: `expected a number or inf, got ${JSON.stringify(u)}` }, u))
    }),
    encode: SchemaGetter.transform((n: number) => n as unknown)
  })
)
