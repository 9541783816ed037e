/**
 * A sweep on a cluster: the coordinator (`sweep --cluster URL`) joins as a client, registers
 * the sweep in the cluster's results tables (the same PostgreSQL that holds the cluster's
 * messages), and sends every point not yet recorded as a persisted entity message. Runners
 * search and record them; the coordinator waits for the replies and reports progress. It can
 * be stopped and started again: recorded points are not sent, pending ones are stored once.
 */
import { Effect, Layer } from "effect"
import { ResultsStoreError, SweepClusterError } from "../errors.ts"
import { startSweep, type SweepSummary } from "../local/run-sweep.ts"
import { ResultsStore, postgresLayer, redactedUrl } from "../store/results-store.ts"
import type { Sweep } from "../sweep-file.ts"
import { clientClusterLayer } from "./cluster-layer.ts"
import { pointEntityId, SweepPointEntity } from "./point-entity.ts"

/** Store errors pass through; anything else the cluster raised becomes one SweepClusterError. */
export const clusterError = (url: string) => (e: unknown): ResultsStoreError | SweepClusterError => {
  if (e instanceof ResultsStoreError || e instanceof SweepClusterError) return e
  const { _tag, message } = e as { readonly _tag?: string; readonly message?: string }
  return new SweepClusterError({ cluster: redactedUrl(url), reason: `${_tag ?? "error"}${message ? `: ${message}` : ""}` })
}

export const runSweepOnCluster = (sweep: Sweep, url: string, log: (line: string) => void): Effect.Effect<SweepSummary, ResultsStoreError | SweepClusterError> =>
  Effect.gen(function*() {
    const run = yield* startSweep(sweep, log)
    const clientFor = yield* SweepPointEntity.client
    yield* Effect.forEach(run.todo, (point) =>
      Effect.gen(function*() {
        run.started(point)
        const outcome = yield* clientFor(pointEntityId(sweep.name, point.key)).SearchPoint({ sweep: sweep.name, index: run.indexOf(point), point })
        run.finished(point, outcome)
      }), { concurrency: "unbounded", discard: true })
    return run.summary()
  }).pipe(
    // The results store first: its migration is the first query, so an unreachable database is
    // its typed error. Built beside the cluster's storage, the cluster's first query won the race
    // and died ("internal error: PgConnection: Failed to connect").
    Effect.provide(clientClusterLayer.pipe(Layer.provideMerge(ResultsStore.layerWithoutDependencies(redactedUrl(url))), Layer.provide(postgresLayer(url)))),
    Effect.mapError(clusterError(url))
  )
