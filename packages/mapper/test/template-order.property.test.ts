/**
 * An Einsum's templates searched in any order into one search (generate-pmappings.ts
 * `openEinsumSearch`, as this thread searches its jobs: parallel/jobs-here.ts), some searched
 * elsewhere and added as parts (the workers' tables, the probe's first templates), some stopped
 * inside and taken back (a capped job given back) before they are searched again, give the table
 * of one search of every template in order: the same groups in the same order, the same rows in
 * the same order (ties kept as in template order), the same counters.
 */
import { Effect } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { budgetOf, type Budget, generateOptionsOf, generatePmappings, paretoFront, PROBE_ENDED } from "../src/index.ts"
import { openEinsumSearch } from "../src/generate/generate-pmappings.ts"
import { chainSearch } from "./support/chain-search.ts"

/** Budgets of no limit whose probe ends after `reads` looks at it: a template stopped at its start, inside its enumeration, or at its end once its rows are in. */
const stoppingAfter = (reads: number): Budget => {
  let left = reads
  const noLimit = budgetOf({ time_limit: Infinity, memory_limit: Infinity, memory_limit_per_process: Infinity, time_limit_per_pmapping_template: Infinity })
  return { ...noLimit, probe: { get threadCpuDeadline() { return left-- > 0 ? Infinity : -Infinity } } }
}

const isProbeEnd = (e: unknown): boolean => (e as { reason?: string }).reason === PROBE_ENDED

/** How each template comes in: searched here, a part searched elsewhere, or first stopped after some looks at the budget (and then one of the two). */
const arrival = fc.record({
  key: fc.nat(),
  elsewhere: fc.boolean(),
  stoppedAfter: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined })
})

describe("an Einsum's templates in any order, here and elsewhere, some taken back", () => {
  it("give the table of one search of every template in order", async () => {
    const { loaded, setup, whole } = await chainSearch(3)
    const largest = Math.max(...setup.templates.map((t) => t.length))
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1),
        fc.array(arrival, { minLength: largest, maxLength: largest }),
        fc.nat(),
        fc.nat(),
        (i, arrivals, begunRaw, begunAtRaw) => {
          const ctx = setup.contexts[i]!
          const options = { ...generateOptionsOf(loaded, setup, ctx), prune: paretoFront }
          const n = setup.templates[i]!.length
          // The probe's first templates (maybe none), as one part, added at some point among the rest.
          const begun = begunRaw % n
          const order = Array.from({ length: n - begun }, (_, k) => begun + k).sort((a, b) => arrivals[a]!.key - arrivals[b]!.key || a - b)
          const begunAt = begunAtRaw % (order.length + 1)
          const search = openEinsumSearch(ctx, options, true)
          order.forEach((t, k) => {
            if (k === begunAt && begun > 0) search.addPart(generatePmappings(ctx, { ...options, templateRange: [0, begun] }), 0)
            const { elsewhere, stoppedAfter } = arrivals[t]!
            if (stoppedAfter !== undefined) {
              try {
                search.searchTemplate(t, stoppingAfter(stoppedAfter))
                return
              } catch (e) {
                if (!isProbeEnd(e)) throw e
              }
            }
            if (elsewhere) search.addPart(generatePmappings(ctx, { ...options, templateRange: [t, t + 1] }), t)
            else search.searchTemplate(t, undefined)
          })
          if (begunAt === order.length && begun > 0) search.addPart(generatePmappings(ctx, { ...options, templateRange: [0, begun] }), 0)
          const table = search.finish()
          expect(table.groups).toEqual(whole[i]!.groups)
          expect(table.counters).toEqual(whole[i]!.counters)
        }
      ),
      { seed: 30, numRuns: 12 }
    )
  }, 120_000)
})
