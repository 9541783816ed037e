/**
 * When a search on the calling thread starts its worker threads: only once the work left is
 * estimated to clearly exceed what a worker costs. Starting every worker at once made the
 * mid-size searches slower on two threads than on one (quiet bench, search clock / CPU of the
 * whole `run`): simba's three matmuls 1.14 s / 2.54 s on two threads against 0.95 s / 1.71 s on
 * one, tpu_v4i's two matmuls 0.94 s against 0.76 s, eyeriss' GPT-3 6.7B prefill 2.34 s against
 * 2.13 s; only tpu_v4i's GPT-3 175B prefill (some 40 s of CPU) gained from the second thread.
 *
 * What a worker costs (eyeriss' 6.7B prefill, the command line from the bundle, the worker
 * forced to start at the search's start, 3 runs at load 1 to 2; the worker thread's own CPU at
 * each step). Node makes an empty worker thread in 36 to 60 ms; ours had loaded its bundled
 * entry at 98 to 142 ms, through Node's compile cache (the launcher hands the worker its folder
 * in NODE_COMPILE_CACHE; the cache keeps a module's top-level code only, so the search's
 * functions are compiled again in every thread), decoded the spec by 113 to 155 ms and set the
 * search up (searchSetup: every Einsum resolved, its templates made) by 186 to 220 ms, 0.3 to
 * 0.45 s of wall time after it was made. From then its code is cold: the 56 to 72 jobs it
 * searched took it 405 to 439 ms, which the warm calling thread searches in 182 to 227 ms (the
 * first 10 jobs 3.6 to 4 times as long). And V8 compiles the hot code again for the worker's
 * own isolate, on V8's threads: they took 1.44 to 1.76 s of CPU with the worker against 1.03 to
 * 1.20 s without (the process' per-thread accounting). In all the process took 0.6 to 0.75 s
 * more CPU (simba's three matmuls and tpu_v4i's large matmul 0.72 s, tpu_v4i's two matmuls
 * 0.47 s): `workerCostCpuMs()`. The tables it sends back cost some 10 ms over both threads
 * (table-transfer.ts), and both threads ended within a few ms of each other. In-process
 * (bench/case.ts, 3 runs at load 5) the worker starts from the fresh bundle without a compile
 * cache: loaded at 115 to 123 ms, set up by 186 to 202 ms, 0.76 to 1.09 s more CPU for the
 * process; from the sources (a stale bundle, or EFFECT_ACCELFORGE_SOURCES=1) loaded at 715 to
 * 720 ms, set up by 783 to 803 ms, 1.3 to 1.56 s more CPU: the 1500 below.
 *
 * Why it does not pay on a search of a second or so on 2 cores: one thread already keeps the
 * machine near busy, V8's compiler and collector threads taking 1.0 to 1.2 s of CPU beside the
 * calling thread's 1.2 to 1.3 s on eyeriss' 6.7B prefill. With the worker started at the
 * search's start, its search took 1.45 to 1.64 s against 1.20 to 1.25 s on one thread: the
 * calling thread's CPU in the search fell from 0.85 s to 0.6 s, but its wall time rose from
 * 1.05 s to 1.3 s. tpu_v4i's GPT-3 6.7B prefill (8.0 s of search on one thread) pays: the gate
 * starts its worker 0.65 s into the search, 6.2 s on two threads, and a worker started at the
 * search's start did no better (6.3 to 6.8 s).
 *
 * The rule: the calling thread searches alone (jobs-here.ts) for `measureCpuMs` of its CPU
 * (the in-thread probe's length), taking the smallest jobs first, then between templates
 * estimates the work left as the templates no thread has taken times its own CPU per template
 * so far, and starts the workers when that exceeds `paysAboveCpuMs`: WORKER_PAYS_AT times what a
 * worker costs (`workerCostCpuMs()`). Per template, not per tile shape: a tile shape before
 * pruning (`templateSize`) costs 0.1 to 8 us depending on the Einsum. Measured on the smallest
 * jobs, cold code included, the estimate errs either way by up to 2 times on the mid-size cases,
 * and far low on the largest. The highest estimates through the command line (the work left
 * on one thread in brackets): simba's three matmuls 0.7 s (0.7 s), tpu_v4i's matmuls 0.5 s
 * (0.3 s), eyeriss' 6.7B prefill 1.6 s (1.5 s), tpu_v4i's 175B prefill 5.7 s at 0.3 s (40 s):
 * of these only the 175B starts its workers, at its first look. The estimate is asked again
 * after every template, so a search whose later templates cost more still starts them then.
 * The constants stand from the figures above: the cases that start no worker are the ones a
 * worker made slower, and the two that start one are faster for it.
 *
 * On eyeriss' 6.7B prefill the estimate read (3 runs at load 10 to 12, bench/case.ts, two
 * threads: a 0.3 s look, 2.4 s to pay) at most 0.91 to 0.94 s, at the first look (82 to 84
 * templates searched, 253 to 255 left); the templates before that look ran mostly before V8's
 * optimizing compilers caught up, so the CPU per template since the look would likely
 * estimate lower still. Either way no worker starts there, which is what pays.
 *
 * The decision depends on CPU time, never the answer: each job's table is the same whichever
 * thread searches it.
 */
import { threadCpuMicros } from "../generate/limits.ts"
import type { TemplateJob } from "./protocol.ts"
import type { JobQueue } from "./queued-job.ts"
import { startsFromBundle } from "./worker-entry.ts"

/** The work left must be estimated at this many times a worker's cost for a worker to start. */
export const WORKER_PAYS_AT = 3

/** What a worker costs the process in CPU (its start-up and set-up, its cold code, V8 compiling for its isolate; see above): from the bundle, and from the sources. */
export const workerCostCpuMs = (): number => (startsFromBundle(new URL("./pmapping-worker.ts", import.meta.url)) ? 800 : 1500)

export interface WorkerGateOptions {
  /** This thread searches alone for at least this much of its CPU (ms) before it estimates. */
  readonly measureCpuMs: number
  /** Workers start when the estimated work left exceeds this much CPU (ms). */
  readonly paysAboveCpuMs: number
}

/** Where the calling thread is: templates it searched in this search, and ones left in the job it is searching. */
export interface HereProgress {
  readonly templatesHere: number
  readonly leftInJob: number
}

/** Whether starting workers pays now; asked between templates. Starts measuring when made. */
export type WorkerGate = (progress: HereProgress) => boolean

/** Templates of the jobs no thread has taken yet. */
const unclaimedTemplates = (jobs: ReadonlyArray<TemplateJob>, queue: JobQueue): number => {
  let sum = 0
  for (let k = 0; k < jobs.length; k++) if (Atomics.load(queue.claims, k) === 0) sum += jobs[k]!.to - jobs[k]!.from
  return sum
}

/** `cpuMicros`: this thread's CPU clock (a test's own). */
export const workerGate = (jobs: ReadonlyArray<TemplateJob>, queue: JobQueue, options: WorkerGateOptions, cpuMicros: () => number = threadCpuMicros): WorkerGate => {
  const began = cpuMicros()
  return ({ leftInJob, templatesHere }) => {
    const cpuMs = (cpuMicros() - began) / 1000
    if (cpuMs < options.measureCpuMs) return false
    const left = unclaimedTemplates(jobs, queue) + leftInJob
    // A job given back before any template was searched here still tells its CPU: count it as one.
    return left > 0 && (cpuMs / Math.max(1, templatesHere)) * left > options.paysAboveCpuMs
  }
}
