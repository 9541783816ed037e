/**
 * What one sweep point produced: the totals of its best mapping (re-evaluated by the model),
 * the JSON record, the search counters, or the typed error that ended it. It crosses process
 * and machine boundaries (pool workers, cluster runners), hence a Schema.
 */
import { Schema } from "effect"

export const PointOutcome = Schema.Struct({
  status: Schema.Literals(["done", "failed"]),
  energy: Schema.NullOr(Schema.Number),
  dynamicEnergy: Schema.NullOr(Schema.Number),
  leakEnergy: Schema.NullOr(Schema.Number),
  latency: Schema.NullOr(Schema.Number),
  /** Energy x latency of the chosen mapping. */
  edp: Schema.NullOr(Schema.Number),
  area: Schema.NullOr(Schema.Number),
  /** Bytes across the outermost memory, summed over Einsums (the model's `offChipBytes`): the ski-slope's traffic. */
  offChipBytes: Schema.NullOr(Schema.Number),
  errorTag: Schema.NullOr(Schema.String),
  errorMessage: Schema.NullOr(Schema.String),
  /** `evaluate --json`'s record of the chosen mapping, as JSON text. */
  record: Schema.NullOr(Schema.String),
  /** `run --json`'s stats (metric, objectives, per-Einsum counters, join steps), as JSON text. */
  stats: Schema.NullOr(Schema.String),
  /** Search counters summed over Einsums (0 for a failed point). */
  templates: Schema.Number,
  evaluated: Schema.Number,
  valid: Schema.Number,
  paretoOptimal: Schema.Number,
  wallTimeMs: Schema.Number,
  /** Which process computed it (host:pid, or the cluster runner's address). */
  computedBy: Schema.String
})
export type PointOutcome = typeof PointOutcome.Type
