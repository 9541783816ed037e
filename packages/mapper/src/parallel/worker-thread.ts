/**
 * One worker thread of a search, both sides: how its last message ends the Effect waiting for
 * it (its results at `done`, a typed failure as the same tagged error, Schema-decoded, anything
 * else as a defect), and how the worker writes that failure.
 */
import { Worker } from "node:worker_threads"
import { Effect, Schema } from "effect"
import { MapperError } from "../service/attempt.ts"
import { workerEntry } from "./worker-entry.ts"

/** The messages that end a worker's run. */
export type WorkerEnd =
  | { readonly _tag: "done" }
  /** A typed failure, Schema-encoded (service/attempt.ts `MapperError`). */
  | { readonly _tag: "failure"; readonly error: unknown }
  /** Anything else thrown: a bug. */
  | { readonly _tag: "defect"; readonly message: string }

const isMapperError = Schema.is(MapperError)

/** What a worker posts when its run throws `error`. */
export const failureMessage = (error: unknown): Exclude<WorkerEnd, { _tag: "done" }> =>
  isMapperError(error)
    ? { _tag: "failure", error: Schema.encodeUnknownSync(MapperError)(error) }
    : { _tag: "defect", message: error instanceof Error ? error.message : String(error) }

/** Run the worker at `url` (from the bundle when fresh: worker-entry.ts) on `data`: every message but the last goes to `onMessage`; at `done`, `results()`. */
export const runWorkerThread = <M extends { readonly _tag: string }, A>(
  url: URL, data: unknown, onMessage: (m: M) => void, results: () => A
): Effect.Effect<A, MapperError> =>
  Effect.callback<A, MapperError>((resume) => {
    const worker = new Worker(workerEntry(url), { workerData: data })
    worker.on("message", (m: M | WorkerEnd) => {
      const end = m as WorkerEnd
      if (end._tag === "done") resume(Effect.succeed(results()))
      else if (end._tag === "failure") resume(Effect.fail(Schema.decodeUnknownSync(MapperError)(end.error)))
      else if (end._tag === "defect") resume(Effect.die(new Error(`a search worker failed: ${end.message}`)))
      else onMessage(m as M)
    })
    worker.on("error", (e) => resume(Effect.die(e)))
    // Interrupted (a stop request, a lost race): end the thread without waiting for it to wind
    // down, which took half a second mid-join; the caller answers at once.
    return Effect.sync(() => void worker.terminate())
  })
