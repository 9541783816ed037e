/** The mapper's typed failures. */
import { Schema } from "effect"

/** No valid mapping exists for an Einsum (or for the whole workload); says which and why. */
export class NoValidMappingError extends Schema.TaggedError<NoValidMappingError>()("NoValidMappingError", {
  einsum: Schema.optionalKey(Schema.String),
  reason: Schema.String
}) {
  override get message(): string {
    return this.einsum === undefined ? `NoValidMappingError: ${this.reason}` : `NoValidMappingError (Einsum ${this.einsum}): ${this.reason}`
  }
}

/** `time_limit` or `memory_limit` was exceeded. */
export class SearchLimitError extends Schema.TaggedError<SearchLimitError>()("SearchLimitError", {
  limit: Schema.Literals(["time_limit", "memory_limit"]),
  reason: Schema.String
}) {
  override get message(): string {
    return `SearchLimitError: ${this.reason}`
  }
}
