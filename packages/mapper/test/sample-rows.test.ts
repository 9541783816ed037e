/**
 * The rows a template's cost terms are checked on (tiles/verified-cost-terms.ts): deterministic
 * divisor chains, innermost tile 1, each drawn once. Pinned: which rows the checks see decides
 * which templates keep their terms.
 */
import { describe, expect, it } from "vitest"
import { drawRows } from "../src/tiles/verified-cost-terms.ts"

const rowsOf = (variables: Array<string>, bounds: Record<string, number>) => drawRows(variables, new Map(Object.entries(bounds))).map((r) => [...r])

describe("the sample rows of the cost terms' check", () => {
  it("are the same rows every time (the sequence's draws, in order)", () => {
    expect(rowsOf(["m", "n", "m", "k", "n", "m"], { m: 64, n: 12, k: 6 })).toEqual([
      [4, 3, 1, 1, 1, 1],
      [4, 1, 2, 1, 1, 1],
      [4, 6, 1, 1, 1, 1],
      [64, 6, 32, 1, 1, 1]
    ])
    // A space of one row: drawn four times, kept once.
    expect(rowsOf(["k", "k"], { k: 2 })).toEqual([[1, 1]])
  })

  it("are distinct divisor chains with each variable's innermost tile 1", () => {
    const variables = ["a", "b", "a", "c", "a", "b"]
    const bounds = { a: 96, b: 18, c: 7 }
    const rows = rowsOf(variables, bounds)
    expect(new Set(rows.map((r) => r.join())).size).toBe(rows.length)
    for (const row of rows) {
      const outer = new Map(Object.entries(bounds))
      row.forEach((tile, i) => {
        const v = variables[i]!
        expect(outer.get(v)! % tile).toBe(0)
        if (variables.lastIndexOf(v) === i) expect(tile).toBe(1)
        outer.set(v, tile)
      })
    }
  })
})
