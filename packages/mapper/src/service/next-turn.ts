/** A turn of the event loop, for a search that runs on this thread in pieces: signal handlers run in it. */
import { Effect } from "effect"

export const nextTurn: Effect.Effect<void> = Effect.callback<void>((resume) => {
  const handle = setImmediate(() => resume(Effect.void))
  return Effect.sync(() => clearImmediate(handle))
})
