/**
 * A stop request that a busy loop can see: one Int32 on a SharedArrayBuffer. A search loop that
 * runs synchronously (a Timeloop thread, sa or ga, an in-thread join) never lets the event loop
 * run, so it cannot hear an AbortSignal's event; it reads this flag instead, every few hundred
 * mappings or rows (one atomic load). Shared with worker threads (it is sent, not copied), the
 * same flag stops them too, and they end their loop gracefully with their best so far. The flag
 * holds what stopped the search, so every thread names the same cause.
 */
import { SearchStoppedError } from "../errors.ts"

export type StopFlag = Int32Array

/** Causes a flag can hold (index + 1; 0 is "not raised"). */
const CAUSES = ["SIGINT", "SIGTERM", "a stop request"] as const

export const newStopFlag = (): StopFlag => new Int32Array(new SharedArrayBuffer(4))

/** Raise the flag; `cause` is a signal's name, anything else is "a stop request". */
export const raiseStop = (flag: StopFlag, cause: string): void => {
  const i = CAUSES.indexOf(cause as (typeof CAUSES)[number])
  Atomics.store(flag, 0, (i < 0 ? CAUSES.length - 1 : i) + 1)
}

/** What raised the flag, or undefined while it is down. */
export const stopRaised = (flag: StopFlag | undefined): string | undefined => {
  if (flag === undefined) return undefined
  const code = Atomics.load(flag, 0)
  return code === 0 ? undefined : CAUSES[code - 1]
}

/** The SearchStoppedError a loop stopped by the flag fails with (`during`: what it was doing). */
export const stoppedError = (cause: string, during: string): SearchStoppedError =>
  new SearchStoppedError({ cause, reason: `stopped by ${cause} during ${during}` })

/** Throw the SearchStoppedError when the flag is raised. */
export const checkStop = (flag: StopFlag | undefined, during: string): void => {
  const cause = stopRaised(flag)
  if (cause !== undefined) throw stoppedError(cause, during)
}

/**
 * A flag raised as soon as `signal` aborts (at once when it already has), holding the signal's
 * reason when that is a string; undefined without a signal. `abort()` dispatches its event
 * synchronously, so a loop that calls back into code that aborts (a progress callback) sees
 * the flag at its next check.
 */
export const stopFlagOf = (signal: AbortSignal | undefined): StopFlag | undefined => {
  if (signal === undefined) return undefined
  const flag = newStopFlag()
  const raise = () => raiseStop(flag, typeof signal.reason === "string" ? signal.reason : "a stop request")
  if (signal.aborted) raise()
  else signal.addEventListener("abort", raise, { once: true })
  return flag
}
