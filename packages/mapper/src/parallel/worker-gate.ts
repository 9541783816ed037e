/**
 * When a search on the calling thread starts its worker threads: only once the work left is
 * estimated to clearly exceed what a worker costs. Starting every worker at once made the
 * mid-size searches slower on two threads than on one (quiet bench, search clock / CPU of the
 * whole `run`): simba's three matmuls 1.14 s / 2.54 s on two threads against 0.95 s / 1.71 s on
 * one, tpu_v4i's two matmuls 0.94 s against 0.76 s, eyeriss' GPT-3 6.7B prefill 2.34 s against
 * 2.13 s; only tpu_v4i's GPT-3 175B prefill (some 40 s of CPU) gained from the second thread.
 * A worker costs some 0.8 s of CPU before it helps (simba: 0.83 s more CPU on two threads):
 * starting it (0.3 to 0.5 s from the bundle, about 1 s from the sources) and its cold code
 * (a template's first search on a fresh thread takes 2 to 3 times its warm time).
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
 * (0.3 s), eyeriss' 6.7B prefill 1.6 s (1.5 s; with a worker started then, 2 threads took
 * more wall and 1.4 times the CPU of 1 on a loaded machine), tpu_v4i's 175B prefill 5.7 s at
 * 0.3 s (40 s): only the 175B starts its workers, at its first look. The estimate is asked
 * again after every template, so a search whose later templates cost more still starts them
 * then.
 *
 * Eyeriss' 6.7B prefill measured again with its worker forced to start (bench/case.ts, two
 * threads, 3 rounds, load 4 to 7 on the 2 cores): at the gate's first look (the probe's end)
 * its search took 3.9 to 5.9 s against 1.8 to 5.4 s without, 0.3 s of CPU later 4.3 to 7.9 s,
 * and the process 0.8 to 1.7 s more CPU. The worker, from the bundle, had run 0.12 to 0.15 s of
 * its own CPU when it began and 0.2 to 0.24 s once set up, of some 0.8 s it ran in all: most of
 * what it costs is after its start, its cold code and the V8 threads beside it. No quiet
 * machine was to be had, so the constants above stand.
 *
 * What the estimate read on eyeriss' 6.7B prefill in 3 runs at load 10 to 12 (bench/case.ts,
 * two threads, fresh bundle: a 0.3 s look, 2.4 s to pay): the first look came at 0.30 s of CPU
 * with 82 to 84 templates searched and 253 to 255 left, estimating 0.91 to 0.94 s, and no later
 * look estimated more; none started a worker. A flip needs 2.6 times the CPU per template for
 * the same templates. The likely cause is the code's warm-up, not the work: the first look
 * averages templates run mostly before V8's optimizing compilers, which run on threads of
 * their own, caught up (the partial pruning's fronts ran 3 to 4 times slower in a fresh
 * process' first pass over eyeriss' tables than once warm), and those threads wait longest on
 * a loaded machine. A sound fix would estimate from templates searched after the first look
 * (the CPU per template since then) rather than from all since the start; not built, as no
 * flip could be made to happen to measure it on.
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

/** What a worker costs in CPU before it helps (start-up and cold code; see above): from the bundle, and from the sources. */
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
