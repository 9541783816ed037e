/**
 * AccelForge's public regression cases (fused and unfused), found by our whole search (per-Einsum
 * pmappings, then the join), re-evaluated by the model and compared number by number as
 * ../shared/README.md describes: exactly one mapping; totals, per-component energy and latency
 * and per-tensor actions within 1%; zeros exact. The two large cases run from their own files
 * (regression-search-large-*.test.ts). Where a bench case poses the same search, its objective
 * must also be the committed bench run's (bench-optima.ts).
 */
import { describe, expect, it } from "vitest"
import { expectBenchObjective } from "./bench-optima.ts"
import { HAS_SHARED, isLargeCase, regressionKeys, searchAndCompare } from "./regression-cases.ts"

describe.skipIf(!HAS_SHARED)("regression cases, searched", () => {
  const keys = HAS_SHARED ? regressionKeys() : []

  it("covers all 23 public cases, fused and unfused, two of them in their own files", () => {
    expect(keys).toHaveLength(23)
    expect(keys.filter((k) => k.endsWith("|fused"))).toHaveLength(8)
    expect(keys.filter(isLargeCase)).toEqual([
      "tpu_v4i|gpt3_175B|BATCH_SIZE=1,DECODE=False,N_NEW_TOKENS=2048|fused",
      "tpu_v4i|gpt3_175B|BATCH_SIZE=1,DECODE=False,N_NEW_TOKENS=2048|unfused"
    ])
  })

  for (const key of keys.filter((k) => !isLargeCase(k))) {
    it(key, async () => {
      await expectBenchObjective(key, await searchAndCompare(key, 1))
    }, 10 * 60_000)
  }
})
