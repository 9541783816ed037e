/** The sweep package's typed failures: one for the sweep file, one for the results store. */
import { Schema } from "effect"

/** The sweep file is missing, not YAML, or not a sweep; names the file, the field and what was expected. */
export class SweepFileError extends Schema.TaggedError<SweepFileError>()("SweepFileError", {
  file: Schema.String,
  path: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `SweepFileError in ${this.path === "" ? "the file" : this.path} (${this.file}): ${this.reason}`
  }
}

/** The results database cannot be opened, migrated, read or written. */
export class ResultsStoreError extends Schema.TaggedError<ResultsStoreError>()("ResultsStoreError", {
  database: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `ResultsStoreError (${this.database}): ${this.reason}`
  }
}

/** The cluster cannot be joined or a point message cannot be sent or answered. */
export class SweepClusterError extends Schema.TaggedError<SweepClusterError>()("SweepClusterError", {
  cluster: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `SweepClusterError (${this.cluster}): ${this.reason}`
  }
}
