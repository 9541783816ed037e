/**
 * Workers start only when they pay (worker-gate.ts): the gate never opens before this thread
 * has measured for its while, nor with no work left, and opens for more work left where it
 * opened for less; a search starts its workers as the gate and a job given back say, with the
 * tables one search gives.
 */
import { Effect } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { generateInWorkers } from "../src/parallel/generate-in-workers.ts"
import type { TemplateJob } from "../src/parallel/protocol.ts"
import { jobQueueOf, newJobQueue } from "../src/parallel/queued-job.ts"
import { workerGate } from "../src/parallel/worker-gate.ts"
import { PARETO_FRONT_MODULE } from "../src/service/pruner-module.ts"
import { chainSearch } from "./support/chain-search.ts"

/** Jobs of these template counts, the ones at `claimed` taken; a gate on a clock the test sets (ms). */
const gateOver = (templates: ReadonlyArray<number>, claimed: ReadonlyArray<boolean>, options: { measureCpuMs: number; paysAboveCpuMs: number }) => {
  const jobs: Array<TemplateJob> = templates.map((n, k) => ({ einsum: `E${k}`, from: 0, to: n }))
  const queue = jobQueueOf(newJobQueue(jobs.length), jobs.length)
  claimed.forEach((c, k) => {
    if (c && k < jobs.length) queue.claims[k] = 1
  })
  let nowMs = 0
  const pays = workerGate(jobs, queue, options, () => nowMs * 1000)
  return (cpuMs: number, templatesHere: number, leftInJob: number) => {
    nowMs = cpuMs
    return pays({ templatesHere, leftInJob })
  }
}

const situation = fc.record({
  templates: fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 20 }),
  claimed: fc.array(fc.boolean(), { maxLength: 20 }),
  measureCpuMs: fc.integer({ min: 0, max: 1000 }),
  paysAboveCpuMs: fc.integer({ min: 0, max: 5000 }),
  cpuMs: fc.integer({ min: 0, max: 3000 }),
  templatesHere: fc.integer({ min: 0, max: 100 }),
  leftInJob: fc.integer({ min: 0, max: 20 }),
  more: fc.integer({ min: 1, max: 20 })
})

describe("the worker gate", () => {
  it("stays shut before this thread has measured for its while, and with no work left", () => {
    fc.assert(
      fc.property(situation, (s) => {
        const options = { measureCpuMs: s.measureCpuMs, paysAboveCpuMs: s.paysAboveCpuMs }
        if (s.cpuMs < s.measureCpuMs) expect(gateOver(s.templates, s.claimed, options)(s.cpuMs, s.templatesHere, s.leftInJob)).toBe(false)
        const allTaken = s.templates.map(() => true)
        expect(gateOver(s.templates, allTaken, options)(s.cpuMs, s.templatesHere, 0)).toBe(false)
      }),
      { numRuns: 200 }
    )
  })

  it("open for some work left, stays open for more, and for a slower thread", () => {
    fc.assert(
      fc.property(situation, (s) => {
        const options = { measureCpuMs: s.measureCpuMs, paysAboveCpuMs: s.paysAboveCpuMs }
        const gate = gateOver(s.templates, s.claimed, options)
        if (!gate(s.cpuMs, s.templatesHere, s.leftInJob)) return
        expect(gateOver(s.templates, s.claimed, options)(s.cpuMs, s.templatesHere, s.leftInJob + s.more)).toBe(true)
        expect(gateOver(s.templates, s.claimed, options)(s.cpuMs + s.more, s.templatesHere, s.leftInJob)).toBe(true)
      }),
      { numRuns: 200 }
    )
  })

  it("estimates the work left as the templates not taken times this thread's CPU per template", () => {
    // 10 templates here in 300 ms: 30 ms each; 40 + 5 left: 1350 ms.
    const gate = (paysAboveCpuMs: number) => gateOver([20, 20, 7], [false, false, true], { measureCpuMs: 300, paysAboveCpuMs })(300, 10, 5)
    expect(gate(1349)).toBe(true)
    expect(gate(1350)).toBe(false)
  })
})

describe("the workers a search on this thread and workers starts", () => {
  const cases = [
    { title: "two threads, the gate shut: none (this thread searches alone)", jobs: 2, paysAboveCpuMs: Infinity, starts: 0 },
    { title: "two threads, the gate open at this thread's first look: one", jobs: 2, paysAboveCpuMs: 0, starts: 1 },
    { title: "one thread, the gate open: none", jobs: 1, paysAboveCpuMs: 0, starts: 0 },
    { title: "two threads, the gate shut, a job given back: one, in this thread's place", jobs: 2, paysAboveCpuMs: Infinity, hereCpuMsPerJob: 0, starts: 1 }
  ]
  for (const { hereCpuMsPerJob, jobs, paysAboveCpuMs, starts, title } of cases) {
    it(`${title}; each Einsum's table is one search's`, async () => {
      const { loaded, setup, whole } = await chainSearch(2)
      let started = 0
      const tables = await Effect.runPromise(generateInWorkers({
        loaded, setup, pruner: PARETO_FRONT_MODULE, jobs, einsums: setup.contexts.map((_, i) => i), started: Date.now(), hereToo: true,
        gate: { measureCpuMs: 0, paysAboveCpuMs }, onWorkerStart: () => started++,
        ...(hereCpuMsPerJob === undefined ? {} : { hereCpuMsPerJob })
      }))
      expect(started).toBe(starts)
      tables.forEach((table, i) => expect(table.groups).toEqual(whole[i]!.groups))
    }, 60_000)
  }
})
