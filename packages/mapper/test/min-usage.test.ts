import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { bestEffortCut, BestEffortFloor, keepsUsage } from "../src/tiles/min-usage.ts"

/** The rule as FFM states it (§11 D), on plain arrays: the reaching rows, else those at the best usage. */
const bestEffort = (usage: ReadonlyArray<number>, minUsage: number): Array<number> => {
  const rows = usage.map((_, i) => i)
  const reaching = rows.filter((r) => usage[r]! >= minUsage - 1e-9)
  if (reaching.length > 0) return reaching
  const best = Math.max(...usage)
  return rows.filter((r) => usage[r] === best)
}

const kept = (usage: ReadonlyArray<number>, minUsage: number): Array<number> => {
  const values = Float64Array.from(usage)
  const cut = bestEffortCut(values, values.length, minUsage)
  const out = usage.map((_, i) => i).filter((i) => keepsUsage(cut, values[i]!))
  // `all` is a shortcut: when it says so, every row stays.
  if (cut.all) expect(out.length).toBe(usage.length)
  return out
}

describe("min_usage, best effort", () => {
  it("keeps the rows reaching the usage, else the rows at the best one", () => {
    expect(kept([0.25, 1, 0.5, 1], 1)).toEqual([1, 3])
    expect(kept([0.25, 0.5, 0.5], 1)).toEqual([1, 2])
    expect(kept([1, 1], 0.5)).toEqual([0, 1])
    // Within the rule's slack counts as reaching.
    expect(kept([1 - 1e-10, 0.5], 1)).toEqual([0])
  })

  it("agrees with the rule on plain arrays", () => {
    const usage = fc.array(fc.constantFrom(0.125, 0.25, 0.5, 0.75, 1), { minLength: 1, maxLength: 30 })
    fc.assert(fc.property(usage, fc.constantFrom(0.25, 0.5, 1), (u, m) => {
      expect(kept(u, m)).toEqual(bestEffort(u, m))
    }), { seed: 17, numRuns: 200 })
  })

  it("drops, as rows come, only rows the cut of all of them drops (BestEffortFloor)", () => {
    // Rows in order, each with its usage and whether it is valid (only valid rows enter the pass and the cut).
    const rows = fc.array(fc.record({ usage: fc.constantFrom(0.125, 0.25, 0.5, 0.75, 1, 1 - 1e-10), valid: fc.boolean() }), { minLength: 1, maxLength: 30 })
    fc.assert(fc.property(rows, fc.constantFrom(0.25, 0.5, 1), (all, m) => {
      const valid = all.filter((r) => r.valid).map((r) => r.usage)
      const floor = new BestEffortFloor(m)
      const appended: Array<number> = []
      for (const r of all) {
        if (floor.cuts(r.usage) || !r.valid) continue
        floor.add(r.usage)
        appended.push(r.usage)
      }
      const keptUsages = (usage: ReadonlyArray<number>) => kept(usage, m).map((i) => usage[i]!)
      expect(keptUsages(appended)).toEqual(keptUsages(valid))
    }), { seed: 29, numRuns: 500 })
  })
})
