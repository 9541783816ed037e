/**
 * Typed failures of the model. A mapping that cannot run on the arch (a missing tile-1 loop,
 * an exceeded fanout or capacity, an unknown component or Einsum, a tensor never stored)
 * is an `InvalidMappingError` that says what is wrong and where; a bad number in the spec
 * stays core's `EvaluationError`.
 */
import { Schema } from "effect"
import { formatPosition } from "@effect-accelforge/core"

export class InvalidMappingError extends Schema.TaggedError<InvalidMappingError>()("InvalidMappingError", {
  reason: Schema.String,
  /** The Einsum whose pmapping is invalid, when the problem belongs to one. */
  einsum: Schema.optionalKey(Schema.String),
  /** Where in the mapping tree, e.g. ["mapping", "nodes", "3"]. */
  path: Schema.optionalKey(Schema.Array(Schema.String)),
  file: Schema.optionalKey(Schema.String),
  line: Schema.optionalKey(Schema.Number),
  column: Schema.optionalKey(Schema.Number)
}) {
  override get message(): string {
    const einsum = this.einsum === undefined ? "" : ` (Einsum ${this.einsum})`
    const where = this.path === undefined || this.path.length === 0 ? "" : ` at ${this.path.join(".")}`
    const file = this.file === undefined
      ? ""
      : ` [${formatPosition({ file: this.file, ...(this.line === undefined ? {} : { line: this.line }), ...(this.column === undefined ? {} : { column: this.column }) })}]`
    return `InvalidMappingError${einsum}${where}${file}: ${this.reason}`
  }
}
