import { describe, expect, it } from "vitest"
import { evaluateAt, formatAffine, parseAffine } from "../src/workload/affine.ts"
import { parseEinsumString } from "../src/workload/einsum-string.ts"
import {
  isDirectlyIndexing,
  isExpressionIndexing,
  normalizeProjection,
  rankVariablesOf,
  relevancyOf
} from "../src/workload/projection.ts"
import { err, ok } from "./workload-helpers.ts"

const coefficients = (source: string) => {
  const e = ok(parseAffine(source))
  return { terms: Object.fromEntries(e.terms.map((t) => [t.variable, t.coefficient])), constant: e.constant }
}

describe("affine expressions", () => {
  it("parses projections into coefficient maps", () => {
    expect(coefficients("p1 + r0")).toEqual({ terms: { p1: 1, r0: 1 }, constant: 0 })
    expect(coefficients("p0*2 + r0")).toEqual({ terms: { p0: 2, r0: 1 }, constant: 0 })
    expect(coefficients("2*p")).toEqual({ terms: { p: 2 }, constant: 0 })
    expect(coefficients("3")).toEqual({ terms: {}, constant: 3 })
    expect(coefficients("-(a - 2*b) + 4 - a")).toEqual({ terms: { a: -2, b: 2 }, constant: 4 })
    expect(coefficients("2 * (x + 1) * 3")).toEqual({ terms: { x: 6 }, constant: 6 })
    expect(coefficients("m - m + 1")).toEqual({ terms: {}, constant: 1 })
  })
  it("rejects non-affine and malformed expressions", () => {
    expect(err(parseAffine("p * q"))).toContain("not affine")
    expect(err(parseAffine("p / 2"))).toContain("unsupported")
    expect(err(parseAffine("0.5*p"))).toContain("integer")
    expect(err(parseAffine("(p + 1"))).toContain("')'")
    expect(err(parseAffine(""))).toContain("empty")
    expect(err(parseAffine("p ? 1"))).toContain("unexpected character")
  })
  it("evaluates and formats", () => {
    const e = ok(parseAffine("2*p0 + r0 - 1"))
    expect(evaluateAt(e, (v) => (v === "p0" ? 3 : 2))).toBe(7)
    expect(formatAffine(e)).toBe("2*p0 + r0 - 1")
    expect(formatAffine(ok(parseAffine("-a")))).toBe("-a")
    expect(formatAffine(ok(parseAffine("0")))).toBe("0")
  })
})

describe("projections", () => {
  it("list form: bare lowercase variables, upper-cased to ranks", () => {
    const p = ok(normalizeProjection(["m", "n0", "xt"]))
    expect(p.map((r) => [r.rank, r.expression])).toEqual([["M", "m"], ["N0", "n0"], ["XT", "xt"]])
  })
  it("list form rejects expressions, uppercase and duplicates", () => {
    expect(err(normalizeProjection(["p + r"]))).toContain("bare rank variable")
    expect(err(normalizeProjection(["M"]))).toContain("uppercase")
    expect(err(normalizeProjection(["m", "m"]))).toContain("appears twice")
  })
  it("dict form: affine expressions, rank keys not starting lowercase", () => {
    const p = ok(normalizeProjection({ P0: "p1 + r0", H: "p0*2 + r0", T0: "t0", B: "b" }))
    expect(p.map((r) => r.rank)).toEqual(["P0", "H", "T0", "B"])
    expect(rankVariablesOf(p)).toEqual(["p1", "r0", "p0", "t0", "b"])
    expect(err(normalizeProjection({ p: "p" }))).toContain("lowercase")
    expect(err(normalizeProjection({ "P-1": "p" }))).toContain("identifier")
    expect(err(normalizeProjection({ P: "p*q" }))).toContain("rank P")
  })
  it("directly vs expression indexing, relevancy", () => {
    const p = ok(normalizeProjection({ P0: "p1 + r0", T: "t", S: "2*s" }))
    expect(isDirectlyIndexing(p, "t")).toBe(true)
    expect(isDirectlyIndexing(p, "p1")).toBe(false)
    expect(isExpressionIndexing(p, "p1")).toBe(true)
    expect(isExpressionIndexing(p, "t")).toBe(false)
    expect(isExpressionIndexing(p, "zz")).toBe(false)
    expect(relevancyOf(p, "t")).toBe("relevant")
    expect(relevancyOf(p, "s")).toBe("relevant")
    expect(relevancyOf(p, "r0")).toBe("partially-relevant")
    expect(relevancyOf(p, "zz")).toBe("irrelevant")
  })
})

describe("Einsum strings", () => {
  it("parses the KV-cache form with an explicit rank", () => {
    const parsed = ok(parseEinsumString("QK[b,m,p,h] = Q[b,m,h,e] * K_cache[b, P: p, h, e]"))
    expect(parsed.name).toBe("QK")
    expect(parsed.accesses).toEqual([
      { name: "Q", projection: { B: "b", M: "m", H: "h", E: "e" }, output: false },
      { name: "K_cache", projection: { B: "b", P: "p", H: "h", E: "e" }, output: false },
      { name: "QK", projection: { B: "b", M: "m", P: "p", H: "h" }, output: true }
    ])
  })
  it("collapses a repeated tensor to one access (the later one)", () => {
    const parsed = ok(parseEinsumString("L[b, d] = DX[b, d] + DX[b, D: d]"))
    expect(parsed.accesses.map((a) => a.name)).toEqual(["DX", "L"])
    const later = ok(parseEinsumString("L[d] = X[D: d] * Y[d] + X[E: d]"))
    expect(later.accesses[0]).toEqual({ name: "X", projection: { E: "d" }, output: false })
    expect(later.accesses.map((a) => a.name)).toEqual(["X", "Y", "L"])
  })
  it("ignores operators, constants and functions on the right-hand side", () => {
    const parsed = ok(parseEinsumString("Y[m] = exp(A[m, k]) / (1 + B[k]) - 2"))
    expect(parsed.accesses.map((a) => a.name)).toEqual(["A", "B", "Y"])
  })
  it("strided expressions and scalars", () => {
    const parsed = ok(parseEinsumString("O[p] = I[H: p*2 + r] * W[r] * S[]"))
    expect(parsed.accesses[0]?.projection).toEqual({ H: "p*2+r" })
    expect(parsed.accesses[2]?.projection).toEqual({})
  })
  it("reports malformed strings", () => {
    expect(err(parseEinsumString("A[m] = B[m] = C[m]"))).toContain("exactly one '='")
    expect(err(parseEinsumString("A[m] B[m]"))).toContain("exactly one '='")
    expect(err(parseEinsumString("L = DX + DX"))).toContain("left-hand side")
    expect(err(parseEinsumString("A[m] = 3"))).toContain("no input")
    expect(err(parseEinsumString("A[m, M: n] = B[m]"))).toContain("appears twice")
    expect(err(parseEinsumString("A[m] = B[M]"))).toContain("lowercase rank variable")
    expect(err(parseEinsumString("A[m] = B[m+1]"))).toContain("Rank:expression")
    expect(err(parseEinsumString("A[m] = B[p: m]"))).toContain("rank name")
    expect(err(parseEinsumString("A[m] = A[m] + B[m]"))).toContain("also appears as an input")
  })
})
