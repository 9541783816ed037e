/**
 * One large regression case, searched by the Mapper service on two worker threads (the
 * Einsums are shared out between them), then compared as regression-search.test.ts does.
 */
import { describe, expect, it } from "vitest"
import { compareWithRegression } from "@effect-accelforge/model"
import { caseRequest, expectedRecord, HAS_SHARED, parseCaseKey, searchFiles } from "./regression-cases.ts"

export const describeLargeCase = (key: string): void => {
  describe.skipIf(!HAS_SHARED)("large regression case, searched on two threads", () => {
    it(key, async () => {
      const result = await searchFiles(caseRequest(parseCaseKey(key)), 2)
      const comparison = compareWithRegression(result.evaluation, expectedRecord(key))
      expect(comparison.failures).toEqual([])
      expect(comparison.checked).toBeGreaterThan(10)
      expect(result.frontSize).toBe(1)
      // K and Q pose V's search up to tensor names, so they are not searched again.
      expect(result.counters.filter((c) => c.reusedFrom === "V").map((c) => c.einsum)).toEqual(["K", "Q"])
    }, 40 * 60_000)
  })
}
