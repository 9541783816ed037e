/**
 * A sweep on a cluster: the coordinator (`sweep --cluster URL`) joins as a client, registers
 * the sweep in the cluster's results tables (the same PostgreSQL that holds the cluster's
 * messages), and sends every point not yet recorded as a persisted entity message. Runners
 * search and record them; the coordinator waits for the replies and reports progress. It can
 * be stopped and started again: recorded points are not sent, pending ones are stored once.
 */
import { Effect, Layer } from "effect"
import { ResultsStoreError, SweepClusterError } from "../errors.ts"
import { missingPoints, type SweepSummary } from "../local/run-sweep.ts"
import { sweepProgress } from "../progress.ts"
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
    const store = yield* ResultsStore
    yield* store.openSweep(sweep)
    const recorded = yield* store.recordedKeys(sweep.name)
    const todo = missingPoints(sweep, recorded)
    const index = new Map(sweep.points.map((p, i) => [p.key, i]))
    const progress = sweepProgress(sweep.points.length, sweep.points.length - todo.length, todo.length, log)
    const clientFor = yield* SweepPointEntity.client
    let failed = 0
    yield* Effect.forEach(todo, (point) =>
      Effect.gen(function*() {
        progress.started(point)
        const outcome = yield* clientFor(pointEntityId(sweep.name, point.key)).SearchPoint({ sweep: sweep.name, index: index.get(point.key)!, point })
        if (outcome.status === "failed") failed++
        progress.finished(point, outcome)
      }), { concurrency: "unbounded", discard: true })
    return { points: sweep.points.length, before: sweep.points.length - todo.length, searched: todo.length, failed }
  }).pipe(
    Effect.provide(Layer.merge(clientClusterLayer, ResultsStore.layerWithoutDependencies(redactedUrl(url))).pipe(Layer.provide(postgresLayer(url)))),
    Effect.mapError(clusterError(url))
  )
