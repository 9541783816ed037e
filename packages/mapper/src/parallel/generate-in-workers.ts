/**
 * Per-Einsum generation on a pool of worker threads: Einsums are independent, so each worker
 * takes a share (largest first, round robin) and posts its tables back. Every worker searches
 * the spec the main thread loaded (sent once, spec-transfer.ts) with the main thread's pruner
 * (imported from the module the ParetoPruner names); a typed failure comes back as the same
 * error (Schema-decoded).
 */
import { Effect } from "effect"
import type { LoadedSpec } from "@effect-accelforge/core"
import type { PmappingTable } from "../generate/pmapping-table.ts"
import type { SearchSetup } from "../search/search-setup.ts"
import type { MapperError } from "../service/attempt.ts"
import type { PrunerModule } from "../service/pareto-pruner.ts"
import type { WorkerMessage, WorkerRequest } from "./protocol.ts"
import { encodeSpec } from "./spec-transfer.ts"
import { attachTemplates, type TransferableTable } from "./table-transfer.ts"
import { runWorkerThread } from "./worker-thread.ts"

export interface TemplateProgress {
  readonly einsum: string
  readonly done: number
  readonly total: number
}

const WORKER_URL = new URL("./pmapping-worker.ts", import.meta.url)

const runWorker = (request: WorkerRequest, onProgress: (p: TemplateProgress) => void): Effect.Effect<Array<TransferableTable>, MapperError> => {
  const tables: Array<TransferableTable> = []
  return runWorkerThread<WorkerMessage, Array<TransferableTable>>(WORKER_URL, request, (m) => {
    if (m._tag === "progress") onProgress(m)
    else if (m._tag === "table") tables.push(m.table)
  }, () => tables)
}

/** Split Einsums over `jobs` workers so that each gets a similar share (by rank-variable count, largest first). */
export const shareOut = (names: ReadonlyArray<string>, weight: (name: string) => number, jobs: number): Array<Array<string>> => {
  const shares: Array<Array<string>> = Array.from({ length: jobs }, () => [])
  const load = new Array<number>(jobs).fill(0)
  for (const name of [...names].sort((a, b) => weight(b) - weight(a))) {
    const k = load.indexOf(Math.min(...load))
    shares[k]!.push(name)
    load[k]! += weight(name)
  }
  return shares.filter((s) => s.length > 0)
}

export interface WorkerJob {
  readonly loaded: LoadedSpec
  readonly setup: SearchSetup
  readonly pruner: PrunerModule
  readonly jobs: number
  /** Indices of the Einsums to search; the tables come back in this order. */
  readonly einsums: ReadonlyArray<number>
  readonly started: number
  readonly onProgress?: (p: TemplateProgress) => void
}

export const generateInWorkers = (job: WorkerJob): Effect.Effect<Array<PmappingTable>, MapperError> =>
  Effect.gen(function*() {
    const { setup } = job
    const names = job.einsums.map((i) => setup.contexts[i]!.einsum.name)
    const weight = (name: string) => {
      const ctx = setup.contexts.find((c) => c.einsum.name === name)!
      return ctx.einsum.rankVariables.reduce((w, r) => w * Math.log2(r.bound + 1), 1)
    }
    const spec = encodeSpec(job.loaded)
    const shares = shareOut(names, weight, Math.max(1, job.jobs))
    const request = (einsums: ReadonlyArray<string>): WorkerRequest => ({
      spec, config: setup.config, mode: setup.composition.mode, pruner: job.pruner, einsums, started: job.started
    })
    const results = yield* Effect.forEach(shares, (share) => runWorker(request(share), job.onProgress ?? (() => {})), { concurrency: "unbounded" })
    const byName = new Map(results.flat().map((t) => [t.einsum, t] as const))
    return job.einsums.map((i) => {
      const ctx = setup.contexts[i]!
      return attachTemplates(byName.get(ctx.einsum.name)!, ctx, setup.fusable, setup.config)
    })
  })
