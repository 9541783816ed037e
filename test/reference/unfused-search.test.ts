/**
 * AccelForge's unfused regression cases found by our search (every Einsum mapped alone), then
 * re-evaluated by the model and compared number by number as ../shared/README.md describes:
 * totals, per-component energy and latency, per-tensor actions within 1%, zeros exact.
 */
import { describe, expect, it } from "vitest"
import { compareWithRegression } from "@effect-accelforge/model"
import { mapWorkload } from "@effect-accelforge/mapper"
import { expectedRecord, HAS_SHARED, loadCase, parseCaseKey, regressionKeys } from "./regression-cases.ts"

/** Unfused cases that are not snowcat but run in seconds; the rest wait for the joiner's benchmarks. */
const ALSO = [
  "simple|matmuls|KN=64,M=64,N_EINSUMS=2|unfused",
  "simple|gpt3_175B|BATCH_SIZE=1,DECODE=True,N_CACHED_TOKENS=2047,N_NEW_TOKENS=1|unfused",
  "tpu_v4i|matmuls|KN=64,M=64,N_EINSUMS=2|unfused",
  "eyeriss|matmuls|KN=64,M=64,N_EINSUMS=2|unfused"
]

describe.skipIf(!HAS_SHARED)("unfused regression cases, searched", () => {
  const keys = HAS_SHARED ? regressionKeys().filter((k) => (k.startsWith("snowcat|") && k.endsWith("|unfused")) || ALSO.includes(k)) : []

  it("covers every public snowcat unfused case", () => {
    expect(keys.filter((k) => k.startsWith("snowcat|"))).toHaveLength(7)
  })

  for (const key of keys) {
    it(key, async () => {
      const loaded = await loadCase(parseCaseKey(key))
      const result = mapWorkload(loaded)
      const comparison = compareWithRegression(result.evaluation, expectedRecord(key))
      expect(comparison.failures).toEqual([])
      expect(comparison.checked).toBeGreaterThan(10)
      expect(result.frontSize).toBe(1)
    }, 240_000)
  }
})
