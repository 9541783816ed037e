/**
 * The calling thread as one of the search's threads: it takes jobs from the queue the workers
 * share (queued-job.ts) until none is left, a template at a time with a turn of the event loop
 * between (worker messages, and an interruption, are taken there). Each job goes into one search
 * of its Einsum on this thread (openEinsumSearch, with the probe's when it began the Einsum), so
 * that its templates are pruned together as one search of the Einsum prunes them, not each into
 * a table of its own merged later (one-template tables made some 4 times the groups of a whole
 * search: the chain of 4 matmuls' search took 0.37 s of this thread's CPU, against 0.26 s whole,
 * when the probe ended inside it); the caller adds the workers' tables to it. With it, a search on `jobs` threads
 * starts one worker fewer: starting one costs 0.15 to 0.3 s of CPU from the bundle, and the
 * calling thread searches at once while the workers start.
 *
 * A caller that must stay responsive (the command line, whose signals this thread takes) caps
 * each job at `cpuMsPerJob` of this thread's CPU and takes the smallest jobs, from the queue's
 * back: a job past the cap goes back to the queue (its template taken back from the Einsum's
 * search), this thread takes no more, and the caller starts a worker in its place (`gaveBack`). Between templates, `betweenTemplates` lets the
 * caller start workers once they pay (worker-gate.ts): until then this thread takes the
 * smallest jobs too (`largestFirst`), so that it looks again soon and estimates on the side of
 * starting none.
 */
import { Effect } from "effect"
import type { LoadedSpec } from "@effect-accelforge/core"
import { type EinsumSearch, openEinsumSearch } from "../generate/generate-pmappings.ts"
import { type Budget, PROBE_ENDED, threadCpuMicros } from "../generate/limits.ts"
import type { SearchSetup } from "../search/search-setup.ts"
import { attempt, type MapperError } from "../service/attempt.ts"
import { nextTurn } from "../service/next-turn.ts"
import type { PruneFunction } from "../service/pareto-pruner.ts"
import { TileRowSpace } from "../tiles/enumerate-tiles.ts"
import type { TemplateJob } from "./protocol.ts"
import type { HereProgress } from "./worker-gate.ts"
import { giveBack, type JobQueue, jobSearch, NONE, takeFromBack, takeFromFront } from "./queued-job.ts"

export interface JobsHere {
  readonly loaded: LoadedSpec
  readonly setup: SearchSetup
  readonly prune: PruneFunction
  readonly budget: Budget
  readonly jobs: ReadonlyArray<TemplateJob>
  readonly queue: JobQueue
  /** After each job searched here, once per template of it (the workers post the same as progress). */
  readonly onTemplate: (einsum: string) => void
  /** This thread's searches, by Einsum name: every job it takes goes into its Einsum's (made at its first job), for the caller to add the workers' parts to and finish. */
  readonly searches: Map<string, EinsumSearch>
  /** Job k searched here: `searchedHere[k]` set true. */
  readonly searchedHere: Array<boolean>
  /** At most this much of this thread's CPU per job (milliseconds); none when undefined. */
  readonly cpuMsPerJob?: number
  /** Run between this thread's templates and jobs (worker-gate.ts: start workers once they pay). */
  readonly betweenTemplates?: (progress: HereProgress) => Effect.Effect<void, MapperError>
  /** Whether this thread takes the largest job left (the queue's front) rather than the smallest; asked per job (default: when uncapped). Capped, always the smallest. */
  readonly largestFirst?: () => boolean
}

/** How the calling thread's share ended: every job it took done, or one given back (a worker must take it). */
export type HereEnd = "done" | "gaveBack"

const isCapEnd = (e: MapperError): boolean => e._tag === "SearchLimitError" && e.reason === PROBE_ENDED

export const takeJobsHere = (here: JobsHere): Effect.Effect<HereEnd, MapperError> =>
  Effect.gen(function*() {
    const { jobs, queue, searches } = here
    // As in a worker: the jobs share one space for their tile rows.
    const thread = { ...here, rowSpace: new TileRowSpace() }
    // Capped, it takes the smallest jobs (the queue's back); else the largest, as a worker does, so that the last jobs taken are small and the threads end together.
    const capped = here.cpuMsPerJob !== undefined
    const largestFirst = here.largestFirst ?? (() => !capped)
    const between = here.betweenTemplates ?? (() => Effect.void)
    let back = jobs.length
    const take = (): number => {
      if (!capped && largestFirst()) return takeFromFront(queue)
      const k = takeFromBack(queue, back)
      if (k !== NONE) back = k
      return k
    }
    // Capped, a template stopped at the cap is taken back from its Einsum's search, which goes on without it.
    const searchOf = (job: TemplateJob): EinsumSearch => {
      let search = searches.get(job.einsum)
      if (search === undefined) {
        const { ctx, options } = jobSearch(thread, job, () => undefined)
        search = openEinsumSearch(ctx, options, capped)
        searches.set(job.einsum, search)
      }
      return search
    }
    let templatesHere = 0
    for (let k = take(); k !== NONE; k = take()) {
      const job = jobs[k]!
      const budget = here.cpuMsPerJob === undefined ? here.budget : { ...here.budget, probe: { threadCpuDeadline: threadCpuMicros() + here.cpuMsPerJob * 1000 } }
      const first = !searches.has(job.einsum)
      const search = searchOf(job)
      for (let t = job.from; t < job.to; t++) {
        const searched = yield* attempt(() => search.searchTemplate(t, budget)).pipe(Effect.as(true), Effect.catchIf(isCapEnd, () => Effect.succeed(false)))
        if (!searched) {
          giveBack(queue, k)
          // The template was taken back from the search; a search made for this job goes (a job of several templates is a whole Einsum, which the worker searches whole).
          if (first) searches.delete(job.einsum)
          // The workers that pay start now, beside the one the caller starts in this thread's place.
          yield* between({ templatesHere, leftInJob: 0 })
          return "gaveBack"
        }
        // Between templates the event loop runs (worker messages, a stop).
        yield* nextTurn
        yield* between({ templatesHere: templatesHere + t + 1 - job.from, leftInJob: job.to - t - 1 })
      }
      // Reported when the job is done: a job given back is reported by the worker that takes it.
      for (let t = job.from; t < job.to; t++) here.onTemplate(job.einsum)
      templatesHere += job.to - job.from
      here.searchedHere[k] = true
    }
    return "done"
  })
