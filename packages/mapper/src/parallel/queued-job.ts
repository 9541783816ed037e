/**
 * One job of the queue the search's threads share (protocol.ts): which one a thread takes next,
 * and the Einsum and generation options it searches with. A worker (pmapping-worker.ts) and the
 * calling thread (jobs-here.ts) both search a job this way, so they search it alike. The queue
 * is largest first: the workers take from its front, and so does the calling thread unless it
 * must run only short pieces between turns of its event loop (the command line): it then takes
 * the smallest jobs, from the back. Each job is claimed once in shared memory; a job the calling
 * thread gives back is taken by a worker.
 */
import type { EinsumContext, LoadedSpec } from "@effect-accelforge/core"
import type { GenerateOptions } from "../generate/generate-pmappings.ts"
import type { Budget } from "../generate/limits.ts"
import { generateOptionsOf, type SearchSetup } from "../search/search-setup.ts"
import type { PruneFunction } from "../service/pareto-pruner.ts"
import type { TileRowSpace } from "../tiles/enumerate-tiles.ts"
import type { TemplateJob } from "./protocol.ts"

/** The queue in shared memory: `front`, the workers' next index (one Int32), and `claims`, one Int32 per job (1 once a thread took it). */
export interface JobQueue {
  readonly front: Int32Array
  readonly claims: Int32Array
}

/** A new queue of `jobs` jobs, its buffers to send to the workers. */
export const newJobQueue = (jobs: number): { readonly front: SharedArrayBuffer; readonly claims: SharedArrayBuffer } => ({
  front: new SharedArrayBuffer(4),
  claims: new SharedArrayBuffer(4 * Math.max(1, jobs))
})

export const jobQueueOf = (buffers: { readonly front: SharedArrayBuffer; readonly claims: SharedArrayBuffer }, jobs: number): JobQueue => ({
  front: new Int32Array(buffers.front),
  claims: new Int32Array(buffers.claims, 0, jobs)
})

const claim = (queue: JobQueue, k: number): boolean => Atomics.compareExchange(queue.claims, k, 0, 1) === 0

/** NONE: no job left for this thread. */
export const NONE = -1

/**
 * A worker's next job (and an uncapped calling thread's): the front's next one not claimed yet,
 * then any job given back (a capped calling thread gives back at most one, and stops taking);
 * NONE when none is left.
 */
export const takeFromFront = (queue: JobQueue): number => {
  const n = queue.claims.length
  for (let k = Atomics.add(queue.front, 0, 1); k < n; k = Atomics.add(queue.front, 0, 1)) if (claim(queue, k)) return k
  for (let k = 0; k < n; k++) if (claim(queue, k)) return k
  return NONE
}

/** The calling thread's next job, the smallest left: the one before `last` (its previous job; the queue's length at first), or NONE once the workers have it. */
export const takeFromBack = (queue: JobQueue, last: number): number => (last > 0 && claim(queue, last - 1) ? last - 1 : NONE)

/** Job k goes back to the queue, for a worker to take. */
export const giveBack = (queue: JobQueue, k: number): void => {
  Atomics.store(queue.claims, k, 0)
}

/** What every job of one thread shares: the budget, the pruner, and one space for its tile rows (not faulted in again per job). */
export interface JobThread {
  readonly loaded: LoadedSpec
  readonly setup: SearchSetup
  readonly budget: Budget
  readonly prune: PruneFunction
  readonly rowSpace: TileRowSpace
}

/** Job `job`'s Einsum and its generation options; `onTemplate` after each template searched. */
export const jobSearch = (thread: JobThread, job: TemplateJob, onTemplate: () => void): { readonly ctx: EinsumContext; readonly options: GenerateOptions } => {
  const { loaded, setup } = thread
  const ctx = setup.contexts.find((c) => c.einsum.name === job.einsum)!
  return {
    ctx,
    options: { ...generateOptionsOf(loaded, setup, ctx), budget: thread.budget, prune: thread.prune, templateRange: [job.from, job.to], rowSpace: thread.rowSpace, onTemplate }
  }
}
