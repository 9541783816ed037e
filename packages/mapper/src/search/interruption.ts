/**
 * Why a search loop ended before its own stopping rule did: a stop request (the stop flag: a
 * signal, a caller's AbortSignal) or `mapper.time_limit` / `memory_limit`. The anytime
 * searches (Timeloop's threads, sa, ga) check it every few hundred mappings and, instead of
 * throwing their work away, end with their incumbent; the driver then answers with it, marked
 * incomplete, or with the error when no complete mapping existed yet. Plain data, so it
 * crosses from a worker thread as it is.
 */
import { SearchLimitError, SearchStoppedError } from "../errors.ts"
import { type Budget, checkBudget } from "../generate/limits.ts"
import { type StopFlag, stopRaised } from "../service/stop-flag.ts"

export interface Interruption {
  /** A signal's name, "a stop request", or the limit's knob (`time_limit`, `memory_limit`, ...). */
  readonly cause: string
  readonly reason: string
}

/** The interruption due now, if any: the flag first, then the budget (`doing`: what the loop does, e.g. "searching Einsum Z"). */
export const interruptionNow = (stop: StopFlag | undefined, budget: Budget | undefined, doing: string): Interruption | undefined => {
  const cause = stopRaised(stop)
  if (cause !== undefined) return { cause, reason: `stopped by ${cause} while ${doing}` }
  try {
    checkBudget(budget, doing)
    return undefined
  } catch (e) {
    if (e instanceof SearchLimitError) return { cause: e.limit, reason: e.reason }
    throw e
  }
}

const LIMITS: ReadonlyArray<SearchLimitError["limit"]> = ["time_limit", "memory_limit", "time_limit_per_pmapping_template", "memory_limit_per_process"]

/** The typed error of an interruption that left no complete mapping (`more`: what was missing). */
export const interruptionError = (i: Interruption, more: string): SearchLimitError | SearchStoppedError =>
  LIMITS.includes(i.cause as SearchLimitError["limit"])
    ? new SearchLimitError({ limit: i.cause as SearchLimitError["limit"], reason: `${i.reason}; ${more}` })
    : new SearchStoppedError({ cause: i.cause, reason: `${i.reason}; ${more}` })
