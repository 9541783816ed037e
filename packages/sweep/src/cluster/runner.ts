/**
 * A cluster runner: serves sweep-point entities. A `SearchPoint` message is handled once per
 * point in the results table: a point already recorded (by a runner that died after writing
 * it, or by an earlier delivery) is answered from the table, not searched again; otherwise the
 * point is searched on this runner's process pool (so its event loop stays free for the
 * cluster's heartbeats and locks; `point_runs` notes when a worker takes it) and recorded in the same transaction-per-point
 * table as a local sweep, in the cluster's PostgreSQL.
 */
import { Effect, Layer } from "effect"
import { type PoolOptions, PointPool } from "../local/process-pool.ts"
import { ResultsStore, postgresLayer, redactedUrl } from "../store/results-store.ts"
import { type RunnerAddressing, runnerClusterLayer } from "./cluster-layer.ts"
import { SweepPointEntity } from "./point-entity.ts"

export interface RunnerOptions extends PoolOptions, RunnerAddressing {
  readonly url: string
}

// The build runs once per entity (per point): the pool is the runner's, shared by all.
const entityLayer = (name: string) =>
  SweepPointEntity.toLayer(
    Effect.gen(function*() {
      const store = yield* ResultsStore
      const pool = yield* PointPool
      return SweepPointEntity.of({
        SearchPoint: ({ payload }) =>
          Effect.gen(function*() {
            const { sweep, index, point } = payload
            const recorded = yield* store.find(sweep, point.key)
            if (recorded !== undefined) return recorded.outcome
            const outcome = { ...(yield* pool.search(point, store.noteRun(sweep, point.key, name))), computedBy: name }
            const fresh = yield* store.record(sweep, { point, index, outcome })
            // Another delivery recorded it first: the table's row is the answer.
            return fresh ? outcome : (yield* store.find(sweep, point.key))?.outcome ?? outcome
          })
      })
    }),
    // Each point is its own entity; the pool bounds how many are searched at once.
    { maxIdleTime: "10 seconds" }
  )

/** The runner as a Layer (launch it to serve until interrupted). */
export const runnerLayer = (options: RunnerOptions) => {
  const name = `runner ${options.host}:${options.port}`
  const sql = postgresLayer(options.url)
  return entityLayer(name).pipe(
    Layer.provide(runnerClusterLayer(options)),
    Layer.provide(Layer.merge(ResultsStore.layerWithoutDependencies(redactedUrl(options.url)), PointPool.layer(options))),
    Layer.provide(sql)
  )
}
