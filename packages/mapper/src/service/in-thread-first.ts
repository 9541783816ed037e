/**
 * Small searches stay on the calling thread. A worker thread costs some 0.2 s of its own CPU to
 * start and set up from the bundle, and 0.6 to 0.75 s of the process' in all (it loads, compiles
 * and warms the mapper afresh: parallel/worker-gate.ts), and a small `run` searches in milliseconds, so
 * starting workers made most of its time. What a search will cost is not known before it runs,
 * so it is tried here first, for about as long as starting the workers costs
 * (`inThreadProbeCpuMs()` of this thread's CPU): Einsums finished by then are kept, and only
 * the rest go to the workers. The probe goes a template at a time (an open, undoable search of
 * the Einsum, openEinsumSearch) and looks at the clock between templates and inside them: where
 * an Einsum's fronts may be taken in parts (`exactFronts`), the search of the Einsum it ends in
 * goes on with the queue's jobs, holding the templates it finished (a template the probe ended
 * inside is taken back and queued), and the threads search only the others, into it on this
 * thread. A search with many tile shapes (PROBE_AT_MOST_ROWS) skips the probe,
 * which could not finish it. Either way the workers start only once the work left pays for them
 * (parallel/worker-gate.ts): until then this thread searches the queue's jobs alone. Each table is the same whichever thread makes it, so one thread and
 * two still give the same answer.
 *
 * The probe's end is this thread's CPU time, not wall time: on a loaded machine a wall-clock cap
 * sent small searches to the workers, so that how a run went depended on the load. A signal
 * still ends a search promptly: the event loop runs between templates (each a short piece).
 */
import { Effect } from "effect"
import type { EinsumSearch } from "../generate/generate-pmappings.ts"
import type { PmappingTable } from "../generate/pmapping-table.ts"
import { type Budget, PROBE_ENDED, type ProbeEnd, probeEnded, threadCpuMicros } from "../generate/limits.ts"
import type { SearchSetup } from "../search/search-setup.ts"
import { templateSize } from "../search/template-size.ts"
import { attempt, type MapperError } from "./attempt.ts"
import { nextTurn } from "./next-turn.ts"
import { startsFromBundle } from "../parallel/worker-entry.ts"

/**
 * CPU time of this thread the per-Einsum search may take before worker threads take the rest:
 * about what starting them costs (on this 2-core machine some 0.2 s of the worker's own CPU to be
 * set up from the bundle, 0.6 to 0.75 s of the process' in all; about 1 s from the sources), so that a search never pays
 * much more than twice the better of the two choices. Workers start from the bundle on the
 * command line (scripts/bundle-cli.mjs points their URL at the bundled `.mjs` entry) and, while
 * it is fresh, from a program running the sources too (worker-entry.ts).
 */
export const inThreadProbeCpuMs = (): number => (startsFromBundle(new URL("../parallel/pmapping-worker.ts", import.meta.url)) ? SHORTEST_PROBE_CPU_MS : 1000)

/** The probe's length when workers start from the bundle: the shortest `inThreadProbeCpuMs` gives. */
const SHORTEST_PROBE_CPU_MS = 300

/**
 * The probe's end, `cpuMs` from `started` (this thread's CPU, microseconds). A length given as a
 * function is asked only once the thread has used the shortest length it may have: asking
 * `inThreadProbeCpuMs` stats every source file of the bundle (a few ms on the search clock of a
 * small search run from the sources, which ends well before). The probe decides only which
 * thread searches what, never a table (each is the same whichever thread makes it), so no
 * answer depends on it; and the end is the same, but for the stats' own CPU, now inside the
 * probe (a few ms of 1000) where it came before its start.
 */
export const probeEndOf = (started: number, cpuMs: number | (() => number)): ProbeEnd => {
  if (typeof cpuMs === "number") return { threadCpuDeadline: started + cpuMs * 1000 }
  let known: ProbeEnd | undefined
  return { threadCpuDeadline: started + SHORTEST_PROBE_CPU_MS * 1000, later: () => (known ??= { threadCpuDeadline: started + cpuMs() * 1000 }) }
}

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
  /** The Einsum the probe ended in, when it may be handed over in parts: its search, holding its first `searched` templates. */
  readonly begun?: Begun
}

/** An Einsum the probe began: its search (more templates go into it), which holds its first `searched` templates. */
export interface Begun {
  readonly einsum: number
  readonly searched: number
  readonly search: EinsumSearch
}

/** What the probe searches with. */
export interface ProbeSearch {
  /** Einsum i's search, open and undoable (generate-pmappings.ts `openEinsumSearch`): a template the probe ends inside is taken back. */
  readonly open: (i: number) => EinsumSearch
  /** Whether an Einsum's fronts may be taken in parts (`exactFronts`): only then are the templates searched of the Einsum the probe ends in kept. */
  readonly split: boolean
  /** After each template the probe searched: (Einsum, templates done, templates in all). */
  readonly onTemplate?: (i: number, done: number, total: number) => void
}

/**
 * Search Einsums `searched` (indices) on this thread, a template at a time, with a turn of the
 * event loop between templates, until this thread has used `probe.cpuMs` of CPU (asked late
 * when a function: `probeEndOf`).
 */
export const searchInThreadFirst = (
  searched: ReadonlyArray<number>,
  budget: Budget,
  how: ProbeSearch,
  probe: { readonly cpuMs: number | (() => number) } = { cpuMs: inThreadProbeCpuMs }
): Effect.Effect<ProbeResult, MapperError> =>
  Effect.gen(function*() {
    const end = probeEndOf(threadCpuMicros(), probe.cpuMs)
    const probing = { ...budget, probe: end }
    const done = new Map<number, PmappingTable>()
    for (const i of searched) {
      if (probeEnded(end)) break
      const search = how.open(i)
      const n = search.templates.length
      let t = 0
      while (t < n && (t === 0 || !probeEnded(end))) {
        const template = t
        const finished = yield* attempt(() => search.searchTemplate(template, probing)).pipe(Effect.as(true), Effect.catchIf(isProbeEnd, () => Effect.succeed(false)))
        if (!finished) break
        t++
        how.onTemplate?.(i, t, n)
        // Between templates the event loop runs: a signal received meanwhile stops the search here.
        yield* nextTurn
      }
      if (t === n) done.set(i, search.finish())
      // The probe ended in this Einsum: its search goes on with the queue's jobs, or it goes whole.
      else return how.split && t > 0 ? { done, begun: { einsum: i, searched: t, search } } : { done }
    }
    return { done }
  })
