/**
 * Stopping a search from outside: a caller (the CLI on SIGINT or SIGTERM) aborts an
 * AbortSignal; the stage running then is interrupted (its worker threads terminated) and fails
 * with a SearchStoppedError naming the signal's reason, which the Joiner answers with its
 * best-so-far when one exists.
 */
import { Effect } from "effect"
import { SearchStoppedError } from "../errors.ts"

/** What stopped it: the abort reason when it is a string (e.g. "SIGINT"), else "a stop request". */
export const stopCause = (signal: AbortSignal): string => (typeof signal.reason === "string" ? signal.reason : "a stop request")

/** Fails with a SearchStoppedError once `signal` is aborted (at once if it already is). */
export const whenStopped = (signal: AbortSignal, during: string): Effect.Effect<never, SearchStoppedError> =>
  Effect.callback<never, SearchStoppedError>((resume) => {
    const stop = () => resume(Effect.fail(new SearchStoppedError({ cause: stopCause(signal), reason: `stopped by ${stopCause(signal)} during ${during}` })))
    if (signal.aborted) {
      stop()
      return
    }
    signal.addEventListener("abort", stop, { once: true })
    return Effect.sync(() => signal.removeEventListener("abort", stop))
  })

/** `effect`, or a SearchStoppedError as soon as `signal` is aborted (the effect is then interrupted). */
export const stoppable = <A, E, R>(effect: Effect.Effect<A, E, R>, signal: AbortSignal | undefined, during: string): Effect.Effect<A, E | SearchStoppedError, R> =>
  signal === undefined ? effect : Effect.raceFirst(effect, whenStopped(signal, during))
