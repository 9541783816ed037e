import { describe, expect, it } from "vitest"
import { evaluateRankSizes } from "../src/workload/rank-sizes.ts"
import { err, ok } from "./workload-helpers.ts"

describe("rank sizes", () => {
  it("evaluates expressions in dependency order, keeping the dict order", () => {
    const sizes = ok(evaluateRankSizes({ XT: "ceil(8*2/X)", X: 4, D: "128*32", A: "B // 2", B: "D + 2" }))
    expect(sizes).toEqual({ XT: 4, X: 4, D: 4096, A: 2049, B: 4098 })
    expect(Object.keys(sizes)).toEqual(["XT", "X", "D", "A", "B"])
  })
  it("results must be integers", () => {
    const e = err(evaluateRankSizes({ X: 3, Y: "7/X" }))
    expect(e.path).toEqual(["workload", "rank_sizes", "Y"])
    expect(e.reason).toContain("not an integer")
    expect(err(evaluateRankSizes({ Y: "'abc'" })).reason).toContain("not an integer")
    expect(err(evaluateRankSizes({ Y: "True" })).reason).toContain("not an integer")
  })
  it("reports cycles and unknown names", () => {
    expect(err(evaluateRankSizes({ A: "B + 1", B: "A + 1" })).reason).toContain("circular dependency between rank sizes: A -> B -> A")
    expect(err(evaluateRankSizes({ A: "A + 1" })).reason).toContain("circular")
    const unknown = err(evaluateRankSizes({ A: "N_HEADS * 2" }, { path: ["x"] }))
    expect(unknown.path).toEqual(["x", "A"])
    expect(unknown.reason).toContain("N_HEADS")
  })
  it("an optional outer scope is consulted after the rank sizes", () => {
    expect(ok(evaluateRankSizes({ A: "N * 2", N: 3 }, { scope: (n) => (n === "N" ? 100 : n === "K" ? 5 : undefined) }))).toEqual({ A: 6, N: 3 })
    expect(ok(evaluateRankSizes({ A: "K * 2" }, { scope: (n) => (n === "K" ? 5 : undefined) }))).toEqual({ A: 10 })
  })
})
