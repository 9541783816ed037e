/**
 * A buffet's stats are an array indexed by the fields of `F`: `newStats` (a literal, for speed)
 * must hold one zero per field, and `FIELD_COUNT` count them, whatever fields are added.
 */
import { describe, expect, it } from "vitest"
import { F, FIELD_COUNT, newStats } from "../src/analysis/buffet-stats.ts"

describe("buffet stats", () => {
  it("newStats holds a zero for each field of F, and FIELD_COUNT counts them", () => {
    const indices = Object.values(F).sort((a, b) => a - b)
    expect(indices).toEqual(indices.map((_, i) => i))
    expect(FIELD_COUNT).toBe(indices.length)
    expect(newStats()).toEqual(indices.map(() => 0))
  })
})
