/**
 * Per-Einsum generation on a pool of worker threads, with work stealing: (Einsum, template)
 * jobs sit in one queue all workers take from (protocol.ts), so both cores stay busy on one
 * large Einsum, and each worker starts once per run. This thread takes jobs from the queue too
 * (jobs-here.ts), so `jobs` threads start at most `jobs - 1` workers (one more later if it gives
 * a job back), and only once the work left pays for them (worker-gate.ts): a search that ends
 * soon enough ends here alone. Each job's table comes back and goes into this thread's search of
 * its Einsum (in any order: GroupAccumulator prunes in template order), which gives exactly the
 * table one thread would, whichever thread searched which template. Every worker searches
 * the spec the main thread loaded (sent once, spec-transfer.ts) with the main thread's pruner
 * (the module the ParetoPruner names, service/pruner-module.ts); a typed failure comes back as the same
 * error (Schema-decoded).
 */
import { Effect, Fiber } from "effect"
import type { LoadedSpec } from "@effect-accelforge/core"
import type { PmappingTable } from "../generate/pmapping-table.ts"
import type { SearchSetup } from "../search/search-setup.ts"
import type { MapperError } from "../service/attempt.ts"
import type { PrunerModule } from "../service/pareto-pruner.ts"
import { type EinsumSearch, exactFronts, openEinsumSearch } from "../generate/generate-pmappings.ts"
import { generateOptionsOf } from "../search/search-setup.ts"
import { templateSize } from "../search/template-size.ts"
import { loadPruner } from "../service/pruner-module.ts"
import type { TemplateJob, WorkerMessage, WorkerRequest } from "./protocol.ts"
import { encodeSpec } from "./spec-transfer.ts"
import { budgetOf } from "../generate/limits.ts"
import { takeJobsHere } from "./jobs-here.ts"
import { jobQueueOf, newJobQueue } from "./queued-job.ts"
import type { TransferableTable } from "./table-transfer.ts"
import { runWorkerThread } from "./worker-thread.ts"
import { WORKER_PAYS_AT, workerCostCpuMs, workerGate, type WorkerGateOptions } from "./worker-gate.ts"
import { type Begun, inThreadProbeCpuMs } from "../service/in-thread-first.ts"

export interface TemplateProgress {
  readonly einsum: string
  readonly done: number
  readonly total: number
}

const WORKER_URL = new URL("./pmapping-worker.ts", import.meta.url)

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
  /** An Einsum (index, among `einsums`) whose first `searched` templates were searched already (by the in-thread probe): its search, which the rest goes into. */
  readonly begun?: Begun
  /** This thread takes jobs from the queue too, as one of the `jobs` threads (jobs-here.ts): one worker fewer. */
  readonly hereToo?: boolean
  /** With `hereToo`: at most this much of this thread's CPU per job (ms); a job past it goes to a worker started then (jobs-here.ts). */
  readonly hereCpuMsPerJob?: number
  /** With `hereToo`: when the workers start (worker-gate.ts; default: the probe's length, and WORKER_PAYS_AT times a worker's cost). */
  readonly gate?: WorkerGateOptions
  /** Told as each worker thread starts (how many threads a search used: a log's, a test's). */
  readonly onWorkerStart?: () => void
}

/** The default gate: measure for the probe's length, start workers when the work left is WORKER_PAYS_AT times what one costs. */
const defaultGate = (): WorkerGateOptions => ({ measureCpuMs: inThreadProbeCpuMs(), paysAboveCpuMs: WORKER_PAYS_AT * workerCostCpuMs() })

/**
 * The shared queue: one job per template when an Einsum's fronts may be taken in parts
 * (`exactFronts`), else one job per Einsum; largest first (by tile shapes, `templateSize`), so
 * that the last jobs taken are small and the workers end together (simba's three matmuls: a
 * worker idled 0.6 s of 3.3 s waiting for the other's last template when Einsums went in turn).
 * `firstOf(i)`: Einsum i's first template to search (the ones before it were searched already;
 * split searches only).
 */
export const templateJobs = (setup: SearchSetup, einsums: ReadonlyArray<number>, split: boolean, firstOf: (i: number) => number = () => 0): Array<TemplateJob> => {
  const sized = [...einsums].sort((a, b) => a - b).flatMap((i) => {
    const einsum = setup.contexts[i]!.einsum.name
    const n = setup.templates[i]!.length
    const size = (from: number, to: number) => {
      let sum = 0
      for (let t = from; t < to; t++) sum += templateSize(setup, i, t)
      return sum
    }
    if (!split || n === 0) return [{ job: { einsum, from: 0, to: n }, size: size(0, n) }]
    const first = firstOf(i)
    return Array.from({ length: n - first }, (_, k) => ({ job: { einsum, from: first + k, to: first + k + 1 }, size: size(first + k, first + k + 1) }))
  })
  // A stable sort: equal sizes keep workload and template order.
  return sized.sort((a, b) => b.size - a.size).map((s) => s.job)
}

export const generateInWorkers = (job: WorkerJob): Effect.Effect<Array<PmappingTable>, MapperError> =>
  Effect.gen(function*() {
    const { setup } = job
    const prune = yield* Effect.promise(() => loadPruner(job.pruner))
    const split = exactFronts(setup.config, prune)
    // Parts of an Einsum searched already are kept only where the fronts may be taken in parts.
    const begun = split ? job.begun : undefined
    const jobs = templateJobs(setup, job.einsums, split, (i) => (begun !== undefined && begun.einsum === i ? begun.searched : 0))
    const request: WorkerRequest = {
      spec: encodeSpec(job.loaded), config: setup.config, mode: setup.composition.mode, pruner: job.pruner, jobs, sameSearchAs: setup.sameSearchAs,
      queue: newJobQueue(jobs.length), started: job.started
    }
    // Worker start-up is paid once per run: each worker takes jobs until the queue is empty.
    const here = job.hereToo === true
    const workers = here ? Math.min(job.jobs, jobs.length) - 1 : Math.max(1, Math.min(job.jobs, jobs.length))
    const queue = jobQueueOf(request.queue, jobs.length)
    const parts = new Array<TransferableTable>(jobs.length)
    // This thread's jobs go into one search per Einsum (jobs-here.ts); the begun Einsum's, into the probe's.
    const searches = new Map<string, EinsumSearch>(begun === undefined ? [] : [[setup.contexts[begun.einsum]!.einsum.name, begun.search]])
    const searchedHere = new Array<boolean>(jobs.length).fill(false)
    const done = new Map<string, number>(begun === undefined ? [] : [[setup.contexts[begun.einsum]!.einsum.name, begun.searched]])
    // Tables the workers sent back, and what to tell once each (allTablesIn).
    let tablesIn = 0
    let onTable = () => {}
    const onMessage = (m: WorkerMessage) => {
      if (m._tag === "table") {
        parts[m.job] = m.table
        tablesIn++
        onTable()
      } else if (m._tag === "progress") {
        const n = (done.get(m.einsum) ?? 0) + 1
        done.set(m.einsum, n)
        const i = setup.contexts.findIndex((c) => c.einsum.name === m.einsum)
        job.onProgress?.({ einsum: m.einsum, done: n, total: setup.templates[i]!.length })
      }
    }
    const worker = () => Effect.suspend(() => {
      job.onWorkerStart?.()
      return runWorkerThread<WorkerMessage, void>(WORKER_URL, request, onMessage, () => undefined)
    })
    if (!here) yield* Effect.all(Array.from({ length: workers }, worker), { concurrency: "unbounded", discard: true })
    else {
      // Workers started while this thread searches (interrupted with it, a stop included), awaited once it has no job left.
      const started: Array<Fiber.Fiber<void, MapperError>> = []
      const start = (n: number) => Effect.forEach(Array.from({ length: n }), () => Effect.forkChild(worker()).pipe(Effect.map((f) => void started.push(f))), { discard: true })
      const pays = workerGate(jobs, queue, job.gate ?? defaultGate())
      const end = yield* takeJobsHere({
        loaded: job.loaded, setup, prune, budget: budgetOf(setup.config, job.started), jobs, queue, searches, searchedHere,
        onTemplate: (einsum) => onMessage({ _tag: "progress", einsum }),
        ...(job.hereCpuMsPerJob === undefined ? {} : { cpuMsPerJob: job.hereCpuMsPerJob }),
        betweenTemplates: (progress) => (started.length === 0 && workers > 0 && pays(progress) ? start(workers) : Effect.void),
        // Until the workers start, the smallest jobs: the gate asks again soon, and estimates low.
        largestFirst: () => started.length > 0
      })
      // A job too long for this thread went back to the queue: a worker takes this thread's place.
      if (end === "gaveBack") yield* start(1)
      // Once every job's table is in, a worker still running holds no job: one started late may
      // still be starting (its set-up alone some 0.2 to 0.6 s of wall time), and is not waited for.
      const searchedHereCount = searchedHere.reduce((n, searched) => (searched ? n + 1 : n), 0)
      const allTablesIn = Effect.callback<void>((resume) => {
        onTable = () => {
          if (searchedHereCount + tablesIn < jobs.length) return
          onTable = () => {}
          resume(Effect.void)
        }
        onTable()
      })
      yield* Effect.raceFirst(Effect.forEach(started, Fiber.join, { discard: true }), allTablesIn)
      yield* Fiber.interruptAll(started)
    }
    return job.einsums.map((i) => {
      const ctx = setup.contexts[i]!
      const fromWorkers = jobs.flatMap((j, k) => (j.einsum === ctx.einsum.name && !searchedHere[k] ? [{ from: j.from, part: parts[k]! }] : []))
      const ownSearch = searches.get(ctx.einsum.name)
      // The setup's templates are the ones the worker searched (built the same way from the same spec).
      if (!split) return ownSearch?.finish() ?? { ...fromWorkers[0]!.part, templates: setup.templates[i]! }
      // The workers' parts added to this thread's search of the Einsum (in any order: see GroupAccumulator): the same table as one search of it.
      const search = ownSearch ?? openEinsumSearch(ctx, { ...generateOptionsOf(job.loaded, setup, ctx), prune })
      for (const { from, part } of fromWorkers) search.addPart(part, from)
      return search.finish()
    })
  })
