/**
 * The local pool: `jobs` child processes, each searching one point at a time (a point's own
 * search uses `threadsPerPoint` worker threads, so jobs x threads stays near the core count).
 * Processes, not threads: a point that exhausts memory or crashes takes down its worker only;
 * the point is recorded as failed (`WorkerCrashed`) and a fresh worker takes the next one.
 */
import { type ChildProcess, fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import { Context, Effect, Exit, Layer, Queue, Scope } from "effect"
import { failedOutcome } from "../run-point.ts"
import type { PointOutcome } from "../point-outcome.ts"
import type { SweepPoint } from "../sweep-file.ts"
import type { FromWorker, ToWorker, WorkerSetup } from "./pool-protocol.ts"

const WORKER = fileURLToPath(new URL("./point-worker.ts", import.meta.url))

export interface PoolOptions extends WorkerSetup {
  readonly jobs: number
}

const spawnWorker = (setup: WorkerSetup) =>
  Effect.acquireRelease(
    Effect.sync(() => fork(WORKER, [JSON.stringify(setup)], { stdio: ["ignore", "ignore", "inherit", "ipc"] })),
    (child) => Effect.sync(() => void child.kill("SIGKILL"))
  )

/** Send one point and wait for its outcome, or for the worker's death. */
const search = (child: ChildProcess, point: SweepPoint): Effect.Effect<{ outcome: PointOutcome; crashed: boolean }> =>
  Effect.callback((resume) => {
    const started = Date.now()
    const onMessage = (m: FromWorker) => {
      if (m.key === point.key) done({ outcome: m.outcome, crashed: false })
    }
    const onExit = (code: number | null, signal: string | null) =>
      done({ outcome: failedOutcome("WorkerCrashed", `the point's worker process ended (${signal ?? `exit code ${code}`})`, Date.now() - started, `pid ${child.pid}`), crashed: true })
    const done = (result: { outcome: PointOutcome; crashed: boolean }) => {
      child.off("message", onMessage).off("exit", onExit)
      resume(Effect.succeed(result))
    }
    child.on("message", onMessage).on("exit", onExit)
    const message: ToWorker = { _tag: "run", point }
    child.send(message)
  })

/** A pool of point workers as a service (a cluster runner shares one among its entities). */
export class PointPool extends Context.Service<PointPool, {
  /** Search one point on an idle worker (waits for one; `started` runs when the worker takes it); fails only as `started` does. */
  readonly search: <E = never, R = never>(point: SweepPoint, started?: Effect.Effect<void, E, R>) => Effect.Effect<PointOutcome, E, R>
}>()("effect-accelforge/sweep/PointPool") {
  static readonly layer = (options: PoolOptions): Layer.Layer<PointPool> => Layer.effect(PointPool, makePointPool(options))
}

/** `jobs` workers, started now and killed when the scope closes. */
export const makePointPool = (options: PoolOptions): Effect.Effect<PointPool["Service"], never, Scope.Scope> =>
  Effect.gen(function*() {
    const setup: WorkerSetup = { threadsPerPoint: options.threadsPerPoint, cacheDirectory: options.cacheDirectory }
    const scope = yield* Effect.scope
    const idle = yield* Queue.unbounded<ChildProcess>()
    for (let i = 0; i < options.jobs; i++) yield* Queue.offer(idle, yield* spawnWorker(setup))
    const replacement = Scope.provide(spawnWorker(setup), scope)
    return {
      search: (point, started) => {
        let sent = false
        return Effect.acquireUseRelease(
          Queue.take(idle),
          (child) => Effect.andThen(started ?? Effect.void, Effect.suspend(() => ((sent = true), search(child, point)))),
          // A worker that crashed, or was stopped mid-point (Ctrl-C, a runner losing the shard), is replaced.
          (child, exit) => {
            const reusable = !sent || (Exit.isSuccess(exit) && !exit.value.crashed)
            return reusable ? Queue.offer(idle, child) : Effect.andThen(Effect.sync(() => child.kill("SIGKILL")), Effect.flatMap(replacement, (fresh) => Queue.offer(idle, fresh)))
          }
        ).pipe(Effect.map((r) => r.outcome))
      }
    }
  })

/**
 * Search every point on a pool of `jobs` workers. `onStart` runs as a point is handed out,
 * `onOutcome` when its outcome is back (the caller records it); a failure of either stops the pool.
 */
export const runOnPool = <E, R>(
  points: ReadonlyArray<SweepPoint>,
  options: PoolOptions,
  onStart: (point: SweepPoint) => Effect.Effect<void, E, R>,
  onOutcome: (point: SweepPoint, outcome: PointOutcome) => Effect.Effect<void, E, R>
): Effect.Effect<void, E, R> =>
  Effect.scoped(Effect.gen(function*() {
    const jobs = Math.max(1, Math.min(options.jobs, points.length))
    const pool = yield* makePointPool({ ...options, jobs })
    yield* Effect.forEach(points, (point) => pool.search(point, onStart(point)).pipe(Effect.flatMap((outcome) => onOutcome(point, outcome))), {
      concurrency: jobs,
      discard: true
    })
  }))
