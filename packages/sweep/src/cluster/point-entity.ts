/**
 * A sweep point as an Effect Cluster entity message. Each point is its own entity (so points
 * spread over the shards, hence over the runners) with one persisted RPC, `SearchPoint`: the
 * message is stored in PostgreSQL before it is delivered, so when a runner dies its pending
 * points are delivered again to the runner that takes over its shards. The message's primary
 * key is the point's, so sending a point twice (a coordinator that resumes) stores it once.
 */
import { createHash } from "node:crypto"
import { Schema } from "effect"
import { ClusterSchema, Entity } from "effect/cluster"
import { Rpc } from "effect/rpc"
import { ResultsStoreError } from "../errors.ts"
import { PointOutcome } from "../point-outcome.ts"

export const SweepPointSchema = Schema.Struct({
  key: Schema.String,
  axes: Schema.Record(Schema.String, Schema.Unknown),
  files: Schema.Array(Schema.String),
  variables: Schema.Record(Schema.String, Schema.Unknown),
  overrides: Schema.Array(Schema.String)
})

export const SearchPoint = Rpc.make("SearchPoint", {
  payload: { sweep: Schema.String, index: Schema.Number, point: SweepPointSchema },
  success: PointOutcome,
  error: ResultsStoreError,
  primaryKey: (p) => `${p.sweep}/${p.point.key}`
}).annotate(ClusterSchema.Persisted, true)

export const SweepPointEntity = Entity.make("AccelForgeSweepPoint", [SearchPoint])

/** The entity of a point: a digest of the sweep's name and the point's key. */
export const pointEntityId = (sweep: string, pointKey: string): string =>
  createHash("sha256").update(sweep).update("\u0000").update(pointKey).digest("hex").slice(0, 32)
