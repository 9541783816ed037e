/**
 * The calling thread takes jobs from the workers' queue too (jobs-here.ts): whichever thread
 * searches a template, each Einsum's table is the one a single search of all its templates
 * gives, with the progress of every template reported; also when each of its jobs is capped and
 * given back to a worker.
 */
import { Effect } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { paretoFront } from "../src/index.ts"
import { budgetOf } from "../src/generate/limits.ts"
import { generateInWorkers, templateJobs } from "../src/parallel/generate-in-workers.ts"
import { takeJobsHere } from "../src/parallel/jobs-here.ts"
import { stoppable } from "../src/service/stop.ts"
import { giveBack, jobQueueOf, newJobQueue, NONE, takeFromBack, takeFromFront } from "../src/parallel/queued-job.ts"
import { PARETO_FRONT_MODULE } from "../src/service/pruner-module.ts"
import { chainSearch } from "./support/chain-search.ts"
import { STALLING_PRUNER } from "./support/stalling-pruner.ts"

/** A fused chain of three matmuls on two_level, and each Einsum's table from one search on this thread. */
const chain = () => chainSearch(3)

describe("this thread as one of the search's threads", () => {
  const cases = [
    { jobs: 1, title: "alone (no worker started)" },
    { jobs: 2, title: "beside one worker" },
    // A cap of no CPU: this thread gives its first job back, and a worker started then does every job.
    { jobs: 1, title: "alone, each job capped at no CPU (the job given back, a worker started for it)", hereCpuMsPerJob: 0 },
    { jobs: 2, title: "beside one worker, each job capped at no CPU", hereCpuMsPerJob: 0 }
  ]
  for (const { hereCpuMsPerJob, jobs, title } of cases) {
    it(`${title}: every Einsum's table is one search's`, async () => {
      const { loaded, setup, whole } = await chain()
      const einsums = setup.contexts.map((_, i) => i)
      const reported = new Map<string, number>()
      const tables = await Effect.runPromise(generateInWorkers({
        loaded, setup, pruner: PARETO_FRONT_MODULE, jobs, einsums, started: Date.now(), hereToo: true,
        // The worker starts at this thread's first look (worker-gate.ts), not when it would pay.
        gate: { measureCpuMs: 0, paysAboveCpuMs: 0 },
        ...(hereCpuMsPerJob === undefined ? {} : { hereCpuMsPerJob }),
        onProgress: (p) => reported.set(p.einsum, Math.max(reported.get(p.einsum) ?? 0, p.done))
      }))
      tables.forEach((table, i) => {
        expect(table.counters).toEqual(whole[i]!.counters)
        expect(table.groups).toEqual(whole[i]!.groups)
        expect(table.templates).toBe(setup.templates[i])
        expect(reported.get(table.einsum)).toBe(setup.templates[i]!.length)
      })
    }, 120_000)
  }
})

describe("a worker that takes no job", () => {
  it("is not waited for once this thread has searched every job", async () => {
    const { loaded, setup, whole } = await chain()
    let workersStarted = 0
    // The worker starts at this thread's first look and never gets past its start-up (the pruner's
    // module does not load there), so this thread searches every job; waiting for that worker
    // to end would never end.
    const tables = await Effect.runPromise(generateInWorkers({
      loaded, setup, pruner: STALLING_PRUNER, jobs: 2, einsums: setup.contexts.map((_, i) => i), started: Date.now(), hereToo: true,
      gate: { measureCpuMs: 0, paysAboveCpuMs: 0 },
      onWorkerStart: () => void workersStarted++
    }))
    expect(workersStarted).toBe(1)
    tables.forEach((table, i) => {
      expect(table.counters).toEqual(whole[i]!.counters)
      expect(table.groups).toEqual(whole[i]!.groups)
    })
  }, 60_000)
})

describe("a stop while this thread takes jobs", () => {
  it("ends the search at this thread's next turn with a SearchStoppedError", async () => {
    const { loaded, setup } = await chain()
    const stop = new AbortController()
    const error = await Effect.runPromise(Effect.flip(stoppable(
      generateInWorkers({
        loaded, setup, pruner: PARETO_FRONT_MODULE, jobs: 2, einsums: setup.contexts.map((_, i) => i), started: Date.now(), hereToo: true, hereCpuMsPerJob: 300,
        onProgress: () => stop.abort("SIGINT")
      }),
      stop.signal,
      "the per-Einsum search"
    )))
    expect(error).toMatchObject({ _tag: "SearchStoppedError", cause: "SIGINT", reason: "stopped by SIGINT during the per-Einsum search" })
  }, 60_000)
})

describe("a job past this thread's cap", () => {
  it("goes back to the queue, and this thread takes no more", async () => {
    const { loaded, setup } = await chain()
    const jobs = templateJobs(setup, setup.contexts.map((_, i) => i), true)
    const queue = jobQueueOf(newJobQueue(jobs.length), jobs.length)
    const searchedHere = jobs.map(() => false)
    const end = await Effect.runPromise(takeJobsHere({
      loaded, setup, prune: paretoFront, budget: budgetOf(setup.config), jobs, queue, searches: new Map(), searchedHere, onTemplate: () => undefined, cpuMsPerJob: 0
    }))
    expect(end).toBe("gaveBack")
    // The jobs it finished (from the back; the CPU clock may not move within the first) are kept and stay taken; the one given back and those before it are left for the workers.
    const kept = searchedHere.flatMap((searched, k) => (searched ? [k] : []))
    const left = jobs.length - kept.length
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, j) => left + j))
    expect(Array.from(queue.claims)).toEqual(jobs.map((_, k) => (k < left ? 0 : 1)))
    expect(takeFromFront(queue)).toBe(0)
  }, 60_000)
})

/**
 * The queue's two ends (queued-job.ts): workers from the front, this thread from the back, any
 * interleaving of their takes, with this thread giving one job back at some point: every job is
 * taken exactly once in the end (the given-back one twice: once given back).
 */
describe("the shared queue", () => {
  it("every job is taken once, whatever the order of the takes from either end and a job given back", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.array(fc.boolean(), { maxLength: 100 }), fc.option(fc.nat({ max: 50 })), (n, order, giveBackAt) => {
        const queue = jobQueueOf(newJobQueue(n), n)
        const taken: Array<number> = []
        let last = n
        let backDone = false
        let backTakes = 0
        const fromBack = () => {
          const k = takeFromBack(queue, last)
          if (k === NONE) {
            backDone = true
            return
          }
          if (giveBackAt !== null && backTakes++ === giveBackAt) {
            giveBack(queue, k)
            backDone = true
            return
          }
          last = k
          taken.push(k)
        }
        for (const front of order) {
          if (front || backDone) {
            const k = takeFromFront(queue)
            if (k !== NONE) taken.push(k)
          } else fromBack()
        }
        // The workers take what is left.
        for (let k = takeFromFront(queue); k !== NONE; k = takeFromFront(queue)) taken.push(k)
        expect([...taken].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, k) => k))
      }),
      { seed: 17, numRuns: 300 }
    )
  })

  it("this thread takes the smallest jobs (the back), the workers the largest (the front)", () => {
    const queue = jobQueueOf(newJobQueue(5), 5)
    expect(takeFromFront(queue)).toBe(0)
    expect(takeFromBack(queue, 5)).toBe(4)
    expect(takeFromBack(queue, 4)).toBe(3)
    expect(takeFromFront(queue)).toBe(1)
    expect(takeFromFront(queue)).toBe(2)
    // The workers reached this thread's end: it stops.
    expect(takeFromBack(queue, 3)).toBe(NONE)
    expect(takeFromFront(queue)).toBe(NONE)
  })
})
