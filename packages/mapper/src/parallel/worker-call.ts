/**
 * One search stage on a worker thread, both ends. The worker posts what it makes as it goes,
 * then `done`, or a typed failure Schema-encoded (the caller gets the same error with the same
 * fields), or a defect. Interrupting the caller's Effect terminates the worker at once: the
 * thread stops mid-loop, so a stage on a worker can always be stopped within milliseconds.
 */
import { parentPort, Worker } from "node:worker_threads"
import { Effect, Schema } from "effect"
import { MapperError } from "../service/attempt.ts"

/** How a worker's stage ends. */
export type WorkerEnd =
  | { readonly _tag: "done" }
  /** A typed failure, Schema-encoded (service/attempt.ts `MapperError`). */
  | { readonly _tag: "failure"; readonly error: unknown }
  /** Anything else thrown: a bug. */
  | { readonly _tag: "defect"; readonly message: string }

const isEnd = (m: { readonly _tag: string }): m is WorkerEnd => m._tag === "done" || m._tag === "failure" || m._tag === "defect"

/** Start `url` with `data`; every message but the end goes to `onMessage`; succeeds with `result()` once the worker is done. */
export const callWorker = <M extends { readonly _tag: string }, A>(
  url: URL, data: unknown, onMessage: (m: M) => void, result: () => A
): Effect.Effect<A, MapperError> =>
  Effect.callback<A, MapperError>((resume) => {
    const worker = new Worker(url, { workerData: data })
    worker.on("message", (m: M | WorkerEnd) => {
      if (!isEnd(m)) onMessage(m)
      else if (m._tag === "done") resume(Effect.succeed(result()))
      else if (m._tag === "failure") resume(Effect.fail(Schema.decodeUnknownSync(MapperError)(m.error)))
      else resume(Effect.die(new Error(`a search worker failed: ${m.message}`)))
    })
    worker.on("error", (e) => resume(Effect.die(e)))
    return Effect.promise(() => worker.terminate())
  })

const isMapperError = Schema.is(MapperError)

/** Post a message to the thread that started this worker. */
export const postToParent = (message: unknown, transfer: ReadonlyArray<ArrayBuffer> = []): void => parentPort!.postMessage(message, [...transfer])

/** The worker's side: run the stage, then post how it ended. */
export const serveStage = (run: () => Promise<void>): void => {
  run().then(
    () => postToParent({ _tag: "done" } satisfies WorkerEnd),
    (error: unknown) =>
      postToParent(isMapperError(error)
        ? { _tag: "failure", error: Schema.encodeUnknownSync(MapperError)(error) } satisfies WorkerEnd
        : { _tag: "defect", message: error instanceof Error ? error.message : String(error) } satisfies WorkerEnd)
  )
}
