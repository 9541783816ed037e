/**
 * Small searches stay on the calling thread. A worker thread costs 0.3 to 0.5 s of CPU to start
 * (it loads and compiles the mapper afresh) and a small `run` searches in milliseconds, so
 * starting workers made most of its time. What a search will cost is not known before it runs,
 * so it is tried here first, for about as long as starting the workers costs
 * (`inThreadProbeCpuMs()` of this thread's CPU): Einsums finished by then are kept, and only
 * the rest go to the workers. The probe goes a template at a time (generateSteps) and looks at
 * the clock between templates: where an Einsum's fronts may be taken in parts (`exactFronts`),
 * the table of the templates it searched of the Einsum it ends in goes to the workers with it,
 * and they search only the others (only when a budget check inside a template ends the probe is
 * that Einsum searched again whole). A search with many tile shapes (PROBE_AT_MOST_ROWS) skips the probe,
 * which could not finish it. Either way the workers start only once the work left pays for them
 * (parallel/worker-gate.ts): until then this thread searches the queue's jobs alone. Each table is the same whichever thread makes it, so one thread and
 * two still give the same answer.
 *
 * The probe's end is this thread's CPU time, not wall time: on a loaded machine a wall-clock cap
 * sent small searches to the workers, so that how a run went depended on the load. A signal
 * still ends a search promptly: the event loop runs between templates (each a short piece).
 */
import { Effect } from "effect"
import type { PmappingTable } from "../generate/pmapping-table.ts"
import { type Budget, PROBE_ENDED, type ProbeEnd, probeEnded, threadCpuMicros } from "../generate/limits.ts"
import type { SearchSetup } from "../search/search-setup.ts"
import { templateSize } from "../search/template-size.ts"
import { attempt, type MapperError } from "./attempt.ts"
import { nextTurn } from "./next-turn.ts"
import { startsFromBundle } from "../parallel/worker-entry.ts"

/**
 * CPU time of this thread the per-Einsum search may take before worker threads take the rest:
 * about what starting them costs (profiles of a small search on this 2-core machine: 0.3 to 0.5 s
 * of CPU per worker from the bundle, about 1 s from the sources), so that a search never pays
 * much more than twice the better of the two choices. Workers start from the bundle on the
 * command line (scripts/bundle-cli.mjs points their URL at the bundled `.mjs` entry) and, while
 * it is fresh, from a program running the sources too (worker-entry.ts).
 */
export const inThreadProbeCpuMs = (): number => (startsFromBundle(new URL("../parallel/pmapping-worker.ts", import.meta.url)) ? 300 : 1000)

/**
 * Searches whose tile shapes number more than this (before any pruning, summed over the
 * Einsums' templates) go to the worker threads at once: a probe could not finish them, and
 * the part it did would be lost. The small bench cases have 1e3 to 1e4; tpu_v4i's two matmuls
 * (1.5 s of search) have more.
 */
export const PROBE_AT_MOST_ROWS = 2e5

/** An Einsum's tile shapes before pruning (what the search's `total` counts), up to `cap`. */
const tileShapes = (setup: SearchSetup, i: number, cap: number): number => {
  let sum = 0
  for (let t = 0; t < setup.templates[i]!.length; t++) {
    sum += templateSize(setup, i, t)
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

export interface ProbeResult {
  /** The Einsums the probe finished: their tables, by index. */
  readonly done: Map<number, PmappingTable>
  /** The Einsum the probe ended in, when it may be handed over in parts: its first `searched` templates' table. */
  readonly begun?: { readonly einsum: number; readonly searched: number; readonly part: PmappingTable }
}

/** What the probe searches with. */
export interface ProbeSearch {
  /** Einsum i's search a template at a time (generate-pmappings.ts `generateSteps`), within `budget` (the search's own, with the probe's end). */
  readonly steps: (i: number, budget: Budget) => Generator<number, PmappingTable, boolean | undefined>
  /** Whether an Einsum's fronts may be taken in parts (`exactFronts`): only then are the templates searched of the Einsum the probe ends in kept. */
  readonly split: boolean
}

/**
 * Search Einsums `searched` (indices) on this thread, a template at a time, with a turn of the
 * event loop between templates, until this thread has used `probe.cpuMs` of CPU.
 */
export const searchInThreadFirst = (
  searched: ReadonlyArray<number>,
  budget: Budget,
  how: ProbeSearch,
  probe: { readonly cpuMs: number } = { cpuMs: inThreadProbeCpuMs() }
): Effect.Effect<ProbeResult, MapperError> =>
  Effect.gen(function*() {
    const end: ProbeEnd = { threadCpuDeadline: threadCpuMicros() + probe.cpuMs * 1000 }
    const done = new Map<number, PmappingTable>()
    for (const i of searched) {
      if (probeEnded(end)) break
      const steps = how.steps(i, { ...budget, probe: end })
      let step = yield* attempt(() => steps.next()).pipe(Effect.catchIf(isProbeEnd, () => Effect.succeed(undefined)))
      while (step !== undefined && step.done !== true) {
        // Between templates the event loop runs: a signal received meanwhile stops the search here.
        yield* nextTurn
        const stop = probeEnded(end)
        const searchedSoFar = step.value
        step = yield* attempt(() => steps.next(stop)).pipe(Effect.catchIf(isProbeEnd, () => Effect.succeed(undefined)))
        if (stop && step !== undefined && step.done === true && searchedSoFar < step.value.counters.templates) {
          return how.split && searchedSoFar > 0 ? { done, begun: { einsum: i, searched: searchedSoFar, part: step.value } } : { done }
        }
      }
      // The probe ended inside a template: that Einsum goes to the workers whole.
      if (step === undefined) return { done }
      done.set(i, step.value)
    }
    return { done }
  })
