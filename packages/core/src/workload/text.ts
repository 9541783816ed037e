/**
 * `Text`: a string the user wrote, quoted (`LiteralString`) or not, decoded to a plain string.
 * The workload never evaluates its strings as expressions except `rank_sizes`, so quoting makes
 * no difference here.
 */
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"
import { LiteralString } from "../loader/raw.ts"

export const Text = Schema.Union([Schema.String, Schema.instanceOf(LiteralString, { expected: "a string" })]).pipe(
  Schema.decodeTo(Schema.String, {
    decode: SchemaGetter.transform((u: string | LiteralString) => (typeof u === "string" ? u : u.value)),
    encode: SchemaGetter.transform((s: string) => s)
  })
)
export type Text = typeof Text.Type
