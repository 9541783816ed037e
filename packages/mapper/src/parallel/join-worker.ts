/**
 * Worker entry of the join: the per-Einsum tables (without their templates) in, the unfused
 * best-so-far as soon as it exists, progress as the join goes, then the final front. On a
 * thread of its own the join never blocks the main thread, so a signal is handled at once and
 * stopping terminates this thread mid-loop.
 */
import { parentPort, workerData } from "node:worker_threads"
import { composition } from "@effect-accelforge/model"
import { budgetOf } from "../generate/limits.ts"
import type { PmappingTable } from "../generate/pmapping-table.ts"
import { joinWithBestSoFar } from "../join/best-so-far.ts"
import type { JoinProgress, JoinResult } from "../join/join-pmappings.ts"
import { loadPruner } from "../service/pruner-module.ts"
import type { JoinWorkerMessage, JoinWorkerRequest } from "./join-in-worker.ts"
import { failureMessage, type WorkerEnd } from "./worker-thread.ts"

/** Progress messages at most this often (the join reports after every left group). */
const PROGRESS_EVERY_MS = 100

const post = (message: JoinWorkerMessage | WorkerEnd) => parentPort!.postMessage(message)

const run = async (request: JoinWorkerRequest) => {
  const prune = await loadPruner(request.pruner)
  let last = -Infinity
  const onProgress = (p: JoinProgress) => {
    const now = performance.now()
    if (now - last < PROGRESS_EVERY_MS) return
    last = now
    post({ _tag: "progress", progress: p })
  }
  const result = joinWithBestSoFar(request.tables as ReadonlyArray<PmappingTable>, {
    config: request.config,
    einsumTensors: request.einsumTensors.map((tensors) => new Set(tensors)),
    prune,
    composition: composition(request.mode).forSearch(request.shape),
    budget: budgetOf(request.config, request.started),
    ...(request.objective === undefined ? {} : { objective: request.objective }),
    onProgress
  }, (best: JoinResult) => post({ _tag: "bestSoFar", result: best }))
  post({ _tag: "result", result })
}

run(workerData as JoinWorkerRequest).then(() => post({ _tag: "done" }), (error: unknown) => post(failureMessage(error)))
