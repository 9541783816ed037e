/**
 * One large regression case, searched by the Mapper service on two worker threads (the
 * Einsums are shared out between them), then compared as regression-search.test.ts does
 * (with the committed bench run's objective too, where a bench case poses the same search).
 */
import { describe, expect, it } from "vitest"
import { expectBenchObjective } from "./bench-optima.ts"
import { HAS_SHARED, searchAndCompare } from "./regression-cases.ts"

export const describeLargeCase = (key: string): void => {
  describe.skipIf(!HAS_SHARED)("large regression case, searched on two threads", () => {
    it(key, async () => {
      const result = await searchAndCompare(key, 2)
      // K and Q pose V's search up to tensor names, so they are not searched again.
      expect(result.counters.filter((c) => c.reusedFrom === "V").map((c) => c.einsum)).toEqual(["K", "Q"])
      await expectBenchObjective(key, result)
    }, 40 * 60_000)
  })
}
