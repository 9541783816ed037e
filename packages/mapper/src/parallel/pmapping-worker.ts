/**
 * Worker entry: take the spec the main thread loaded, set the search up the same way, and take
 * jobs (templates of an Einsum) from the front of the queue all workers share until none is left, searching
 * each with the same pruner and posting its table back (typed arrays transferred) with progress. A typed failure crosses back Schema-encoded, so the
 * main thread gets the same error with the same fields.
 */
import { parentPort, workerData } from "node:worker_threads"
import { composition } from "@effect-accelforge/model"
import { generatePmappings } from "../generate/generate-pmappings.ts"
import { budgetOf } from "../generate/limits.ts"
import { TileRowSpace } from "../tiles/enumerate-tiles.ts"
import { searchSetup } from "../search/search-setup.ts"
import { loadPruner } from "../service/pruner-module.ts"
import type { WorkerMessage, WorkerRequest } from "./protocol.ts"
import { jobQueueOf, jobSearch, NONE, takeFromFront } from "./queued-job.ts"
import { decodeSpec } from "./spec-transfer.ts"
import { detachTemplates } from "./table-transfer.ts"
import { failureMessage } from "./worker-thread.ts"

const post = (message: WorkerMessage, transfer: Array<ArrayBuffer> = []) => parentPort!.postMessage(message, transfer)

const run = async (request: WorkerRequest) => {
  const prune = await loadPruner(request.pruner)
  const loaded = decodeSpec(request.spec)
  const setup = searchSetup(loaded, request.config, composition(request.mode), { sameSearchAs: request.sameSearchAs })
  const queue = jobQueueOf(request.queue, request.jobs.length)
  // A job is often one template: the worker's jobs share one space for their tile rows.
  const thread = { loaded, setup, budget: budgetOf(setup.config, request.started), prune, rowSpace: new TileRowSpace() }
  for (let job = takeFromFront(queue); job !== NONE; job = takeFromFront(queue)) {
    const { einsum } = request.jobs[job]!
    const { ctx, options } = jobSearch(thread, request.jobs[job]!, () => post({ _tag: "progress", einsum }))
    const table = generatePmappings(ctx, options)
    const { table: detached, transfer } = detachTemplates(table)
    post({ _tag: "table", job, table: detached }, transfer)
  }
}

run(workerData as WorkerRequest).then(() => post({ _tag: "done" }), (error: unknown) => post(failureMessage(error)))
