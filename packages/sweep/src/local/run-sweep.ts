/**
 * A sweep on this machine: the points not yet in the results store are searched on the local
 * process pool, and each outcome is recorded as it arrives (one transaction per point). Run it
 * again after Ctrl-C or kill -9 and only the missing points are searched.
 */
import { Effect } from "effect"
import type { ResultsStoreError } from "../errors.ts"
import { sweepProgress } from "../progress.ts"
import { ResultsStore } from "../store/results-store.ts"
import type { PointOutcome } from "../point-outcome.ts"
import type { Sweep, SweepPoint } from "../sweep-file.ts"
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

/** A sweep under way: the points left, their places in the sweep, progress and the tally. */
export interface SweepRun {
  readonly todo: ReadonlyArray<SweepPoint>
  readonly indexOf: (point: SweepPoint) => number
  readonly started: (point: SweepPoint) => void
  readonly finished: (point: SweepPoint, outcome: PointOutcome) => void
  readonly summary: () => SweepSummary
}

/** Register the sweep and find what is left of it (the points not yet recorded, in sweep order). */
export const startSweep = (sweep: Sweep, log: (line: string) => void): Effect.Effect<SweepRun, ResultsStoreError, ResultsStore> =>
  Effect.gen(function*() {
    const store = yield* ResultsStore
    yield* store.openSweep(sweep)
    const recorded = yield* store.recordedKeys(sweep.name)
    const todo = sweep.points.filter((p) => !recorded.has(p.key))
    const index = new Map(sweep.points.map((p, i) => [p.key, i]))
    const before = sweep.points.length - todo.length
    const progress = sweepProgress(sweep.points.length, before, todo.length, log)
    let failed = 0
    return {
      todo,
      indexOf: (point) => index.get(point.key)!,
      started: progress.started,
      finished: (point, outcome) => {
        if (outcome.status === "failed") failed++
        progress.finished(point, outcome)
      },
      summary: () => ({ points: sweep.points.length, before, searched: todo.length, failed })
    }
  })

export const runSweepLocally = (sweep: Sweep, options: LocalSweepOptions): Effect.Effect<SweepSummary, ResultsStoreError, ResultsStore> =>
  Effect.gen(function*() {
    const store = yield* ResultsStore
    const run = yield* startSweep(sweep, options.log)
    yield* runOnPool(
      run.todo,
      options,
      (point) => Effect.sync(() => run.started(point)),
      (point, outcome) =>
        store.record(sweep.name, { point, index: run.indexOf(point), outcome }).pipe(Effect.andThen(Effect.sync(() => run.finished(point, outcome))))
    )
    return run.summary()
  })
