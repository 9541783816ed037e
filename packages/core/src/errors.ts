/**
 * Typed failures of the input side. Every user mistake ends in one of these, never in an
 * untyped exception: the CLI prints `error.message` and exits non-zero.
 */
import * as Schema from "effect/Schema"

/** Where a value came from in the user's files (line and column are 1-based). */
export const SourcePosition = Schema.Struct({
  file: Schema.String,
  line: Schema.optionalKey(Schema.Number),
  column: Schema.optionalKey(Schema.Number)
})
export type SourcePosition = typeof SourcePosition.Type

export const formatPosition = (p: SourcePosition | undefined): string =>
  p === undefined ? "" : p.line === undefined ? p.file : p.column === undefined ? `${p.file}:${p.line}` : `${p.file}:${p.line}:${p.column}`

/** A file that cannot be found or read, or whose Jinja or YAML is malformed. */
export class SpecLoadError extends Schema.TaggedError<SpecLoadError>()("SpecLoadError", {
  file: Schema.String,
  line: Schema.optionalKey(Schema.Number),
  column: Schema.optionalKey(Schema.Number),
  reason: Schema.String
}) {
  override get message(): string {
    return `${formatPosition(this)}: ${this.reason}`
  }
}

/**
 * A value that failed to decode or to evaluate. `path` runs outermost to innermost, e.g.
 * ["arch", "nodes", "GlobalBuffer", "size"]; list items are named by their `name` where they
 * have one, else by index.
 */
export class EvaluationError extends Schema.TaggedError<EvaluationError>()("EvaluationError", {
  path: Schema.Array(Schema.String),
  reason: Schema.String,
  file: Schema.optionalKey(Schema.String),
  line: Schema.optionalKey(Schema.Number),
  column: Schema.optionalKey(Schema.Number)
}) {
  override get message(): string {
    const where = this.file === undefined ? "" : ` (${formatPosition({ file: this.file, ...(this.line === undefined ? {} : { line: this.line }), ...(this.column === undefined ? {} : { column: this.column }) })})`
    return `EvaluationError in ${this.path.length === 0 ? "<spec>" : this.path.join(".")}${where}: ${this.reason}`
  }
}

/** Any failure of the input side. */
export type SpecError = SpecLoadError | EvaluationError
