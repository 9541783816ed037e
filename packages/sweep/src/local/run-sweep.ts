/**
 * A sweep on this machine: the points not yet in the results store are searched on the local
 * process pool, and each outcome is recorded as it arrives (one transaction per point). Run it
 * again after Ctrl-C or kill -9 and only the missing points are searched.
 */
import { Effect } from "effect"
import type { ResultsStoreError } from "../errors.ts"
import { sweepProgress } from "../progress.ts"
import { ResultsStore } from "../store/results-store.ts"
import type { Sweep } from "../sweep-file.ts"
import { type PoolOptions, runOnPool } from "./process-pool.ts"

export interface SweepSummary {
  readonly points: number
  /** Recorded by earlier runs (not searched again). */
  readonly before: number
  readonly searched: number
  readonly failed: number
}

export interface LocalSweepOptions extends PoolOptions {
  readonly log: (line: string) => void
}

/** The points of `sweep` that `recorded` lacks, in sweep order. */
export const missingPoints = (sweep: Sweep, recorded: ReadonlySet<string>) => sweep.points.filter((p) => !recorded.has(p.key))

export const runSweepLocally = (sweep: Sweep, options: LocalSweepOptions): Effect.Effect<SweepSummary, ResultsStoreError, ResultsStore> =>
  Effect.gen(function*() {
    const store = yield* ResultsStore
    yield* store.openSweep(sweep)
    const recorded = yield* store.recordedKeys(sweep.name)
    const todo = missingPoints(sweep, recorded)
    const index = new Map(sweep.points.map((p, i) => [p.key, i]))
    const progress = sweepProgress(sweep.points.length, sweep.points.length - todo.length, todo.length, options.log)
    let failed = 0
    yield* runOnPool(
      todo,
      options,
      (point) => Effect.sync(() => progress.started(point)),
      (point, outcome) =>
        store.record(sweep.name, { point, index: index.get(point.key)!, outcome }).pipe(
          Effect.andThen(Effect.sync(() => {
            if (outcome.status === "failed") failed++
            progress.finished(point, outcome)
          }))
        )
    )
    return { points: sweep.points.length, before: sweep.points.length - todo.length, searched: todo.length, failed }
  })
