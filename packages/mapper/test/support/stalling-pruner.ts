/**
 * The exact front, from a module that never finishes loading in a search's worker thread: a
 * worker started with it stays in its start-up, so it never takes a job. On any other thread
 * (the test's) it loads at once.
 */
import { workerData } from "node:worker_threads"
import { paretoFront } from "../../src/index.ts"

/** A search worker's data is its WorkerRequest (parallel/protocol.ts), which holds the job queue. */
const inSearchWorker = typeof workerData === "object" && workerData !== null && "queue" in workerData

if (inSearchWorker) {
  // Kept alive, so the thread neither ends nor fails: only a terminate ends it.
  setInterval(() => undefined, 2 ** 30)
  await new Promise(() => undefined)
}

export const frontUnlessInWorker = paretoFront

export const STALLING_PRUNER = { module: import.meta.url, name: "frontUnlessInWorker" }
