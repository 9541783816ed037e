/**
 * Per-Einsum generation on a pool of worker threads: Einsums are independent, so each worker
 * takes a share (largest first, round robin) and posts its tables back. One job (or one
 * Einsum) runs in this thread instead: no worker start-up cost.
 */
import { Worker } from "node:worker_threads"
import { Effect } from "effect"
import { EvaluationError, SpecLoadError } from "@effect-accelforge/core"
import { NoValidMappingError, SearchLimitError } from "../errors.ts"
import type { PmappingTable } from "../generate/pmapping-table.ts"
import type { SearchSetup } from "../search/map-workload.ts"
import type { SpecRequest, WorkerMessage } from "./protocol.ts"
import { attachTemplates, type TransferableTable } from "./table-transfer.ts"

export type GenerationError = EvaluationError | SpecLoadError | SearchLimitError | NoValidMappingError

export interface TemplateProgress {
  readonly einsum: string
  readonly done: number
  readonly total: number
}

const rebuildError = (e: { name: string; message: string; fields: Record<string, unknown> }): GenerationError => {
  const f = e.fields as never
  switch (e.name) {
    case "EvaluationError": return new EvaluationError(f)
    case "SpecLoadError": return new SpecLoadError(f)
    case "SearchLimitError": return new SearchLimitError(f)
    default: return new NoValidMappingError({ reason: `a search worker failed: ${e.message}` })
  }
}

const WORKER_URL = new URL("./pmapping-worker.ts", import.meta.url)

const runWorker = (
  request: SpecRequest,
  einsums: ReadonlyArray<string>,
  started: number,
  onProgress: (p: TemplateProgress) => void
): Effect.Effect<Array<TransferableTable>, GenerationError> =>
  Effect.callback<Array<TransferableTable>, GenerationError>((resume) => {
    const tables: Array<TransferableTable> = []
    const worker = new Worker(WORKER_URL, { workerData: { request, einsums, started } })
    worker.on("message", (m: WorkerMessage) => {
      if (m._tag === "progress") onProgress(m)
      else if (m._tag === "table") tables.push(m.table)
      else if (m._tag === "done") resume(Effect.succeed(tables))
      else resume(Effect.fail(rebuildError(m.error)))
    })
    worker.on("error", (e) => resume(Effect.fail(new NoValidMappingError({ reason: `a search worker crashed: ${e.message}` }))))
    return Effect.promise(() => worker.terminate())
  })

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

export const generateInWorkers = (
  request: SpecRequest,
  setup: SearchSetup,
  jobs: number,
  onProgress: (p: TemplateProgress) => void = () => {},
  /** Indices of the Einsums to search (default: all); the tables come back in this order. */
  einsums: ReadonlyArray<number> = setup.contexts.map((_, i) => i)
): Effect.Effect<Array<PmappingTable>, GenerationError> =>
  Effect.gen(function*() {
    const started = Date.now()
    const names = einsums.map((i) => setup.contexts[i]!.einsum.name)
    const weight = (name: string) => {
      const ctx = setup.contexts.find((c) => c.einsum.name === name)!
      return ctx.einsum.rankVariables.reduce((w, r) => w * Math.log2(r.bound + 1), 1)
    }
    const shares = shareOut(names, weight, Math.max(1, jobs))
    const results = yield* Effect.forEach(shares, (share) => runWorker(request, share, started, onProgress), { concurrency: "unbounded" })
    const byName = new Map(results.flat().map((t) => [t.einsum, t] as const))
    return einsums.map((i) => {
      const ctx = setup.contexts[i]!
      return attachTemplates(byName.get(ctx.einsum.name)!, ctx, setup.fusable, setup.config)
    })
  })
