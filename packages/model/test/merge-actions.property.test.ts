/**
 * Merging action entries by (component, tensor, action) (metrics/cost-terms.ts): a short list
 * is merged by a scan, a long one through a map of joined keys; both give what the map gives
 * (first-seen order, values summed in list order, a missing tensor the same as the empty name).
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { actionKey, mergeActions } from "../src/metrics/cost-terms.ts"
import type { RawAction } from "../src/metrics/actions.ts"

/** The definition: a map by the joined key. */
const byMap = (entries: ReadonlyArray<RawAction>): Array<RawAction> => {
  const out = new Map<string, RawAction>()
  for (const e of entries) {
    const prev = out.get(actionKey(e))
    out.set(actionKey(e), prev === undefined ? e : { ...prev, value: prev.value + e.value })
  }
  return [...out.values()]
}

const entry = fc.record({
  component: fc.constantFrom("Buffer", "MAC", "NoC", "DRAM"),
  tensor: fc.constantFrom(null, "", "A", "B", "Z"),
  action: fc.constantFrom("read", "write", "hop", "compute"),
  value: fc.double({ min: -1e6, max: 1e6, noNaN: true })
})

describe("merging action entries", () => {
  it("gives the map's entries, order and sums, short lists and long", () => {
    let short = 0
    let long = 0
    fc.assert(
      fc.property(fc.oneof(fc.array(entry, { maxLength: 32 }), fc.array(entry, { minLength: 33, maxLength: 60 })), (entries) => {
        if (entries.length > 32) long++
        else short++
        const merged = mergeActions(entries)
        const want = byMap(entries)
        expect(merged.map(actionKey)).toEqual(want.map(actionKey))
        expect(merged.map((e) => e.value)).toEqual(want.map((e) => e.value))
        expect(merged.map((e) => e.tensor)).toEqual(want.map((e) => e.tensor))
      }),
      { numRuns: 400, seed: 33_2026 }
    )
    expect(short).toBeGreaterThan(100)
    expect(long).toBeGreaterThan(100)
  })
})
