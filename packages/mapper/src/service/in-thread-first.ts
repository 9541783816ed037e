/**
 * Small searches stay on the calling thread. A worker thread costs 0.3 to 0.5 s of CPU to start
 * (it loads and compiles the mapper afresh) and a small `run` searches in milliseconds, so
 * starting workers made most of its time. What a search will cost is not known before it runs,
 * so it is tried here first, for about as long as starting the workers costs
 * (`IN_THREAD_PROBE_CPU_MS` of this thread's CPU, at most `IN_THREAD_PROBE_WALL_MS` of wall time): Einsums finished by then are kept, and only
 * the rest go to the workers (the Einsum the probe was in the middle of is searched again there:
 * at most the probe's time is lost). A search with many tile shapes (PROBE_AT_MOST_ROWS) skips
 * the probe, which could not finish it. Each table is the same whichever thread makes it, so one
 * thread and two still give the same answer.
 *
 * The probe is short so that a signal still ends a search promptly (this thread hears it
 * between Einsums, and at the latest when the probe ends the Einsum it is in).
 */
import { Effect } from "effect"
import type { PmappingTable } from "../generate/pmapping-table.ts"
import { type Budget, PROBE_ENDED, type ProbeEnd, probeEnded, threadCpuMicros } from "../generate/limits.ts"
import type { SearchSetup } from "../search/search-setup.ts"
import type { LoopSlot } from "../template/template.ts"
import { templateTileShapes } from "../tiles/divisor-chains.ts"
import type { MapperError } from "./attempt.ts"
import { nextTurn } from "./next-turn.ts"

/**
 * Whether worker threads start from the bundle (the command line: scripts/bundle-cli.mjs points
 * this URL at the bundled `.mjs` entry) or from the sources (a program importing the packages,
 * the bench's cases), whose some 300 TypeScript modules a worker loads one by one.
 */
const workersFromBundle = new URL("../parallel/pmapping-worker.ts", import.meta.url).pathname.endsWith(".mjs")

/**
 * CPU time of this thread the per-Einsum search may take before worker threads take the rest:
 * about what starting them costs (profiles of a small search on this 2-core machine: 0.3 to 0.5 s
 * of CPU per worker from the bundle, about 1 s from the sources), so that a search never pays
 * much more than twice the better of the two choices.
 */
export const IN_THREAD_PROBE_CPU_MS = workersFromBundle ? 300 : 1000
/** ... and wall time, on a machine so loaded that the CPU comes slowly (a signal waits at most this long). */
export const IN_THREAD_PROBE_WALL_MS = 2 * IN_THREAD_PROBE_CPU_MS

/**
 * Searches whose tile shapes number more than this (before any pruning, summed over the
 * Einsums' templates) go to the worker threads at once: a probe could not finish them, and
 * the part it did would be lost. The small bench cases have 1e3 to 1e4; tpu_v4i's two matmuls
 * (1.5 s of search) have more.
 */
export const PROBE_AT_MOST_ROWS = 2e5

/** An Einsum's tile shapes before pruning (what the search's `total` counts), up to `cap`. */
const tileShapes = (setup: SearchSetup, i: number, cap: number): number => {
  const bounds = setup.contexts[i]!.einsum.bounds
  let sum = 0
  for (const template of setup.templates[i]!) {
    sum += templateTileShapes(template.loopPositions.map((p) => (template.nodes[p] as LoopSlot).rankVariable), bounds, setup.config.tiling_coarseness)
    if (sum > cap) return sum
  }
  return sum
}

/**
 * The Einsums (indices, of `searched`) worth a probe, smallest first, so that the probe
 * finishes as many as it can: none when their tile shapes together exceed PROBE_AT_MOST_ROWS.
 */
export const probeOrder = (setup: SearchSetup, searched: ReadonlyArray<number>): Array<number> => {
  const size = new Map<number, number>()
  let sum = 0
  for (const i of searched) {
    const n = tileShapes(setup, i, PROBE_AT_MOST_ROWS - sum)
    size.set(i, n)
    sum += n
    if (sum > PROBE_AT_MOST_ROWS) return []
  }
  return [...searched].sort((a, b) => size.get(a)! - size.get(b)! || a - b)
}

/** True when a failure is the probe's end, not one of the search's limits. */
const isProbeEnd = (e: MapperError): boolean => e._tag === "SearchLimitError" && e.reason === PROBE_ENDED

/**
 * Search Einsums `searched` (indices) one by one on this thread until the probe ends:
 * `search(i, budget)` searches Einsum i within `budget` (the search's own, with the probe's end).
 * The tables finished in time, by index.
 */
export const searchInThreadFirst = (
  searched: ReadonlyArray<number>,
  budget: Budget,
  search: (i: number, budget: Budget) => Effect.Effect<PmappingTable, MapperError>,
  probe: { readonly cpuMs: number; readonly wallMs: number } = { cpuMs: IN_THREAD_PROBE_CPU_MS, wallMs: IN_THREAD_PROBE_WALL_MS }
): Effect.Effect<Map<number, PmappingTable>, MapperError> =>
  Effect.gen(function*() {
    const end: ProbeEnd = { threadCpuDeadline: threadCpuMicros() + probe.cpuMs * 1000, wallDeadline: Date.now() + probe.wallMs }
    const done = new Map<number, PmappingTable>()
    for (const i of searched) {
      if (probeEnded(end)) break
      const table = yield* search(i, { ...budget, probe: end }).pipe(Effect.catchIf(isProbeEnd, () => Effect.succeed(undefined)))
      if (table === undefined) break
      done.set(i, table)
      // Between Einsums the event loop runs: a signal received meanwhile stops the search here.
      yield* nextTurn
    }
    return done
  })
