/**
 * The calling thread as one of the search's threads: it takes jobs from the queue the workers
 * share (protocol.ts) until it is empty, a template at a time with a turn of the event loop
 * between (worker messages, and an interruption, are taken there), and keeps each job's table
 * without its templates, as a worker's table comes back. With it, a search on `jobs` threads
 * starts one worker fewer: starting one costs 0.15 to 0.3 s of CPU from the bundle, and the
 * calling thread searches at once while the workers start.
 */
import { Effect } from "effect"
import type { LoadedSpec } from "@effect-accelforge/core"
import { generateSteps } from "../generate/generate-pmappings.ts"
import type { Budget } from "../generate/limits.ts"
import type { SearchSetup } from "../search/search-setup.ts"
import { attempt, type MapperError } from "../service/attempt.ts"
import { nextTurn } from "../service/next-turn.ts"
import type { PruneFunction } from "../service/pareto-pruner.ts"
import { TileRowSpace } from "../tiles/enumerate-tiles.ts"
import type { TemplateJob } from "./protocol.ts"
import { jobSearch, takeJob } from "./queued-job.ts"
import type { TransferableTable } from "./table-transfer.ts"

export interface JobsHere {
  readonly loaded: LoadedSpec
  readonly setup: SearchSetup
  readonly prune: PruneFunction
  readonly budget: Budget
  readonly jobs: ReadonlyArray<TemplateJob>
  /** The queue's next job (an Int32 in shared memory), as the workers take it. */
  readonly next: Int32Array
  /** After each template searched here (the workers post the same as progress). */
  readonly onTemplate: (einsum: string) => void
  /** Job k's table goes to `parts[k]`. */
  readonly parts: Array<TransferableTable>
}

export const takeJobsHere = (here: JobsHere): Effect.Effect<void, MapperError> =>
  Effect.gen(function*() {
    const { jobs, next } = here
    // As in a worker: the jobs share one space for their tile rows.
    const thread = { ...here, rowSpace: new TileRowSpace() }
    for (let k = takeJob(next); k < jobs.length; k = takeJob(next)) {
      const { einsum } = jobs[k]!
      const { ctx, options } = jobSearch(thread, jobs[k]!, () => here.onTemplate(einsum))
      const steps = generateSteps(ctx, options)
      let step = yield* attempt(() => steps.next())
      while (step.done !== true) {
        yield* nextTurn
        step = yield* attempt(() => steps.next(false))
      }
      const { templates: _templates, ...part } = step.value
      here.parts[k] = part
    }
  })
