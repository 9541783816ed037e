/**
 * Small searches stay on the calling thread. A worker thread costs 0.3 to 0.5 s of CPU to start
 * (it loads and compiles the mapper afresh) and a small `run` searches in milliseconds, so
 * starting workers made most of its time. What a search will cost is not known before it runs,
 * so it is tried here first, for a short while (`IN_THREAD_PROBE_MS`): Einsums finished in that
 * time are kept, and only the rest go to the workers (the Einsum the probe was in the middle of
 * is searched again there: at most the probe's time is lost). Each table is the same whichever
 * thread makes it, so one thread and two still give the same answer.
 *
 * The probe is short so that a signal still ends a search promptly (this thread hears it
 * between Einsums, and at the latest when the probe's deadline ends the Einsum it is in).
 */
import { Effect } from "effect"
import type { PmappingTable } from "../generate/pmapping-table.ts"
import type { Budget } from "../generate/limits.ts"
import type { MapperError } from "./attempt.ts"

/** How long the per-Einsum search runs on the calling thread before worker threads take the rest. */
export const IN_THREAD_PROBE_MS = 200

/** A budget that also ends at `probeEnd` (the search's own limits still apply when they are sooner). */
export const probeBudget = (budget: Budget, probeEnd: number): Budget => (probeEnd < budget.deadline ? { ...budget, deadline: probeEnd, timeKnob: "time_limit" } : budget)

/** True when a failure is the probe's deadline, not one of the search's limits. */
const isProbeDeadline = (e: MapperError, budget: Budget): boolean =>
  e._tag === "SearchLimitError" && e.limit === "time_limit" && Date.now() <= budget.deadline

/**
 * Search Einsums `searched` (indices) one by one on this thread until the probe's deadline:
 * `search(i, budget)` searches Einsum i within `budget`. The tables finished in time, by index.
 */
export const searchInThreadFirst = (
  searched: ReadonlyArray<number>,
  budget: Budget,
  search: (i: number, budget: Budget) => Effect.Effect<PmappingTable, MapperError>,
  probeMs = IN_THREAD_PROBE_MS
): Effect.Effect<Map<number, PmappingTable>, MapperError> =>
  Effect.gen(function*() {
    const probeEnd = Date.now() + probeMs
    const done = new Map<number, PmappingTable>()
    for (const i of searched) {
      if (Date.now() >= probeEnd) break
      const table = yield* search(i, probeBudget(budget, probeEnd)).pipe(
        Effect.catchIf((e) => isProbeDeadline(e, budget), () => Effect.succeed(undefined))
      )
      if (table === undefined) break
      done.set(i, table)
      // Between Einsums the event loop runs: a signal received meanwhile stops the search here.
      yield* Effect.yieldNow
    }
    return done
  })
