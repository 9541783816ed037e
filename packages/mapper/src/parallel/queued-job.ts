/**
 * One job of the queue the search's threads share (protocol.ts): which one a thread takes next,
 * and the Einsum and generation options it searches with. A worker (pmapping-worker.ts) and the
 * calling thread (jobs-here.ts) both take jobs this way, so they search a job alike.
 */
import type { EinsumContext, LoadedSpec } from "@effect-accelforge/core"
import type { GenerateOptions } from "../generate/generate-pmappings.ts"
import type { Budget } from "../generate/limits.ts"
import { generateOptionsOf, type SearchSetup } from "../search/search-setup.ts"
import type { PruneFunction } from "../service/pareto-pruner.ts"
import type { TileRowSpace } from "../tiles/enumerate-tiles.ts"
import type { TemplateJob } from "./protocol.ts"

/** The index of the next job to take (the queue's counter, an Int32 in shared memory); at least `jobs` when none is left. */
export const takeJob = (next: Int32Array): number => Atomics.add(next, 0, 1)

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
