/**
 * Typed failures of the report layer: an input record that does not have the expected shape
 * (named by file and field path), or a chart, graph or file that could not be produced.
 */
import { Schema } from "effect"

export class ReportError extends Schema.TaggedError<ReportError>()("ReportError", {
  /** What was being made or read, e.g. "chart energy-by-component", "--html", a file name. */
  subject: Schema.String,
  /** Field path inside an input record, outermost first (empty when not about a field). */
  path: Schema.Array(Schema.String),
  reason: Schema.String
}) {
  override get message(): string {
    const at = this.path.length === 0 ? "" : ` at ${this.path.join(".")}`
    return `ReportError in ${this.subject}${at}: ${this.reason}`
  }
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e))
