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

/** A search limit was exceeded: `time_limit`, `memory_limit` or their per-template / per-process forms. */
export class SearchLimitError extends Schema.TaggedError<SearchLimitError>()("SearchLimitError", {
  limit: Schema.Literals(["time_limit", "memory_limit", "time_limit_per_pmapping_template", "memory_limit_per_process"]),
  reason: Schema.String
}) {
  override get message(): string {
    return `SearchLimitError: ${this.reason}`
  }
}

/** The search was stopped (SIGINT, SIGTERM, or a caller's AbortSignal) before any complete mapping existed. */
export class SearchStoppedError extends Schema.TaggedError<SearchStoppedError>()("SearchStoppedError", {
  /** What stopped it (the signal's name, or the caller's reason). */
  cause: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `SearchStoppedError: ${this.reason}`
  }
}

/** The services given to the Mapper cannot do what was asked (e.g. a pruner without a module, on worker threads). */
export class ServiceConfigurationError extends Schema.TaggedError<ServiceConfigurationError>()("ServiceConfigurationError", {
  service: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `ServiceConfigurationError (${this.service}): ${this.reason}`
  }
}
