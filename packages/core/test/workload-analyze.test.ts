import { Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { EvaluationError } from "../src/errors.ts"
import { analyzeWorkload, decodeWorkload, type WorkloadAnalysis } from "../src/workload/index.ts"
import { err, ok } from "./workload-helpers.ts"

const analyzeRaw = (raw: unknown): Result.Result<WorkloadAnalysis, EvaluationError> => {
  const decoded = decodeWorkload(raw)
  return Result.isFailure(decoded) ? Result.fail(decoded.failure) : analyzeWorkload(decoded.success)
}

const bounds = (a: WorkloadAnalysis, einsum: string) => Object.fromEntries(a.einsumsByName.get(einsum)?.bounds ?? [])
const tensor = (a: WorkloadAnalysis, name: string) => a.tensorsByName.get(name)

describe("analyzeWorkload: basics", () => {
  const matmuls = {
    rank_sizes: { M: 4, K: 3 },
    iteration_space_shape: { n: "0 <= n < 5" },
    einsums: [
      "T1[m, n] = T0[m, k] * W0[k, n]",
      { einsum: "T2[m] = T1[m, n]", renames: { input: "T1" }, n_instances: 3 },
      { name: "C", tensor_accesses: [{ name: "T2", projection: ["m"] }, { name: "T3", projection: ["m"], output: true, persistent: true }], is_copy_operation: true }
    ],
    n_instances: 2
  }
  it("bounds, op counts, shapes, readers and writers", () => {
    const a = ok(analyzeRaw(matmuls))
    expect(a.einsums.map((e) => e.name)).toEqual(["T1", "T2", "C"])
    expect(bounds(a, "T1")).toEqual({ m: 4, k: 3, n: 5 })
    expect(a.einsums.map((e) => e.opCount)).toEqual([60, 20, 4])
    expect(a.einsums.map((e) => e.nInstances)).toEqual([2, 6, 2])
    expect(a.einsums.map((e) => e.isCopyOperation)).toEqual([false, false, true])
    expect(a.einsums[0]?.iterationSpace.isBox).toBe(true)
    expect(a.einsums[1]?.renames).toEqual([{ name: "input", source: "T1" }])
    expect(a.einsums[0]?.inputs).toEqual(["T0", "W0"])
    expect(a.einsums[0]?.output).toBe("T1")
    expect(a.einsums[0]?.rankVariables.map((r) => r.variable)).toEqual(["m", "k", "n"])
    expect(Object.fromEntries(a.rankVariableBounds)).toEqual({ m: 4, k: 3, n: 5 })
    expect(tensor(a, "T1")).toMatchObject({ ranks: ["M", "N"], size: 20, writtenBy: ["T1"], readBy: ["T2"] })
    expect(tensor(a, "W0")?.shape).toEqual([{ rank: "K", min: 0, max: 2, extent: 3 }, { rank: "N", min: 0, max: 4, extent: 5 }])
    expect(a.tensors.map((t) => t.name)).toEqual(["T0", "W0", "T1", "T2", "T3"])
    expect(tensor(a, "T3")?.persistent).toBe(true)
  })
  it("EinsumFacts per Einsum", () => {
    const a = ok(analyzeRaw(matmuls))
    const facts = a.einsumsByName.get("T2")?.facts
    expect(facts).toEqual({
      name: "T2",
      tensors: [{ name: "T1", rankVariables: ["m", "n"], bitsPerValue: undefined }, { name: "T2", rankVariables: ["m"], bitsPerValue: undefined }],
      inputs: ["T1"],
      outputs: ["T2"],
      intermediates: ["T1", "T2"],
      shared: ["T1", "T2"],
      persistent: [],
      rankVariables: ["m", "n"],
      workloadTensors: ["T0", "W0", "T1", "T2", "T3"],
      workloadRankVariables: ["m", "k", "n"]
    })
    expect(a.einsumsByName.get("C")?.facts.persistent).toEqual(["T3"])
    expect(a.einsumsByName.get("T1")?.facts.intermediates).toEqual(["T1"])
  })
  it("facts list inputs first, then the output, and keep explicit bits_per_value", () => {
    const a = ok(analyzeRaw({
      rank_sizes: { M: 2 },
      einsums: [{ name: "E", tensor_accesses: [{ name: "O", projection: ["m"], output: true }, { name: "A", projection: ["m"], bits_per_value: 4 }] }]
    }))
    const e = a.einsums[0]
    expect(e?.accesses.map((x) => x.tensor)).toEqual(["O", "A"])
    expect(e?.facts.tensors.map((t) => [t.name, t.bitsPerValue])).toEqual([["A", 4], ["O", undefined]])
    expect(e?.rankVariables.map((r) => r.variable)).toEqual(["m"])
  })
  it("a strided convolution with per-Einsum iteration_space_shape (mobilenet-style)", () => {
    const a = ok(analyzeRaw({
      rank_sizes: { B: 1, P0: 28, Q0: 28, N0: 24, T0: 192, P1: 28, Q1: 28 },
      einsums: [
        { name: "PiecewiseA0", tensor_accesses: [{ name: "T0", projection: ["p0", "q0", "n0", "b"] }, { name: "WA0", projection: ["n0", "t0"] }, { name: "TA0", projection: ["p0", "q0", "t0", "b"], output: true }] },
        {
          name: "Depthwise0",
          tensor_accesses: [
            { name: "TA0", projection: { P0: "p1 + r0", Q0: "q1 + s0", T0: "t0", B: "b" } },
            { name: "WAB0", projection: ["r0", "s0", "t0"] },
            { name: "TB0", projection: ["p1", "q1", "t0", "b"], output: true }
          ],
          iteration_space_shape: ["0 <= r0 < 3", "0 <= s0 < 3"]
        }
      ]
    }))
    const d = a.einsumsByName.get("Depthwise0")
    expect(bounds(a, "Depthwise0")).toEqual({ p1: 28, r0: 3, q1: 28, s0: 3, t0: 192, b: 1 })
    expect(d?.opCount).toBe(28 * 3 * 28 * 3 * 192)
    expect(d?.iterationSpace.isBox).toBe(false)
    expect(tensor(a, "TA0")?.size).toBe(28 * 28 * 192)
    expect(tensor(a, "WAB0")?.size).toBe(3 * 3 * 192)
    expect(d?.accesses[0]?.rankVariables).toEqual(["p1", "r0", "q1", "s0", "t0", "b"])
  })
  it("strided projection of a tensor nobody writes: extent of the image", () => {
    const a = ok(analyzeRaw({ rank_sizes: { P: 4, R: 3 }, einsums: ["O[p] = I[H: p*2 + r] * W[r]"] }))
    expect(tensor(a, "I")?.shape).toEqual([{ rank: "H", min: 0, max: 8, extent: 9 }])
    expect(tensor(a, "I")?.size).toBe(9)
  })
  it("Einsum rank_sizes win over the workload's", () => {
    const a = ok(analyzeRaw({ rank_sizes: { M: 8 }, einsums: [{ einsum: "A[m] = B[m]", rank_sizes: { M: 8 } }, { einsum: "C[n] = D[n]", rank_sizes: { N: 5 } }] }))
    expect(bounds(a, "C")).toEqual({ n: 5 })
  })
  it("evaluates rank-size expressions (mamba's D: 128*32)", () => {
    const a = ok(analyzeRaw({ rank_sizes: { B: 1, D: "128*32" }, einsums: ["L[b, d] = DX[b, d] + DX[b, d]"] }))
    expect(a.rankSizes).toEqual({ B: 1, D: 4096 })
    expect(a.einsums[0]?.accesses.map((x) => x.tensor)).toEqual(["DX", "L"])
    expect(a.einsums[0]?.opCount).toBe(4096)
  })
})

describe("analyzeWorkload: checks", () => {
  it("unbounded rank variable", () => {
    const e = err(analyzeRaw({ rank_sizes: { M: 4 }, einsums: ["Y[m] = A[m, k]"] }))
    expect(e.path).toEqual(["workload", "einsums", "Y"])
    expect(e.reason).toContain("Are all rank variables bounded?")
    expect(e.reason).toContain("rank variable k of Einsum Y")
  })
  it("inconsistent ranks of a tensor", () => {
    const e = err(analyzeRaw({ rank_sizes: { M: 4, K: 2 }, einsums: ["B[m] = A[m, k]", "C[m] = A[m]"] }))
    expect(e.path).toEqual(["workload", "einsums", "C", "tensor_accesses", "A", "projection"])
    expect(e.reason).toContain("same ranks")
    // same set in another order is fine
    ok(analyzeRaw({ rank_sizes: { M: 4, K: 2 }, einsums: ["B[m] = A[m, k]", "C[m] = A[k, m]"] }))
  })
  it("duplicate and reserved Einsum names", () => {
    const einsum = { name: "X", tensor_accesses: [{ name: "A", projection: ["m"] }, { name: "B", projection: ["m"], output: true }] }
    const e = err(analyzeRaw({ rank_sizes: { M: 2 }, einsums: [einsum, { ...einsum }] }))
    expect(e.path).toEqual(["workload", "einsums", "X", "name"])
    expect(e.reason).toContain("more than once")
    expect(err(analyzeRaw({ rank_sizes: { M: 2 }, einsums: ["A[m] = B[m]", "A[m] = C[m]"] })).reason).toContain("more than once")
    expect(err(analyzeRaw({ rank_sizes: { M: 2 }, einsums: [{ ...einsum, name: "Total" }] })).reason).toContain("reserved")
  })
  it("exactly one output, one input for copies, unique tensors per Einsum", () => {
    const none = err(analyzeRaw({ rank_sizes: { M: 2 }, einsums: [{ name: "E", tensor_accesses: [{ name: "A", projection: ["m"] }] }] }))
    expect(none.path).toEqual(["workload", "einsums", "E", "tensor_accesses"])
    expect(none.reason).toContain("exactly one output")
    const two = err(analyzeRaw({ rank_sizes: { M: 2 }, einsums: [{ name: "E", tensor_accesses: [{ name: "A", projection: ["m"], output: true }, { name: "B", projection: ["m"], output: true }] }] }))
    expect(two.reason).toContain("found 2 (A, B)")
    const copy = err(analyzeRaw({ rank_sizes: { M: 2 }, einsums: [{ einsum: "C[m] = A[m] * B[m]", is_copy_operation: true }] }))
    expect(copy.path).toEqual(["workload", "einsums", "C", "is_copy_operation"])
    const dup = err(analyzeRaw({ rank_sizes: { M: 2 }, einsums: [{ name: "E", tensor_accesses: [{ name: "A", projection: ["m"] }, { name: "A", projection: ["m"], output: true }] }] }))
    expect(dup.path).toEqual(["workload", "einsums", "E", "tensor_accesses", "A"])
  })
  it("projection errors name the access", () => {
    const e = err(analyzeRaw({ einsums: [{ name: "QK", tensor_accesses: [{ name: "K", projection: ["p + 1"] }, { name: "QK", projection: ["p"], output: true }] }] }))
    expect(e.path).toEqual(["workload", "einsums", "QK", "tensor_accesses", "K", "projection"])
  })
  it("persistent must agree across Einsums", () => {
    const e = err(analyzeRaw({
      rank_sizes: { M: 2 },
      einsums: [
        { name: "E1", tensor_accesses: [{ name: "A", projection: ["m"], persistent: true }, { name: "B", projection: ["m"], output: true }] },
        { name: "E2", tensor_accesses: [{ name: "A", projection: ["m"] }, { name: "C", projection: ["m"], output: true }] }
      ]
    }))
    expect(e.path).toEqual(["workload", "einsums", "E2", "tensor_accesses", "A", "persistent"])
  })
  it("a rank variable must have the same bound everywhere", () => {
    const e = err(analyzeRaw({ rank_sizes: { M: 4 }, einsums: ["B[m] = A[m]", { einsum: "C[m] = B[m]", iteration_space_shape: ["m < 2"] }] }))
    expect(e.path).toEqual(["workload", "einsums", "C"])
    expect(e.reason).toContain("bound 2 in Einsum C but 4 in Einsum B")
  })
  it("bad ISL strings and constraints on unknown variables point at their source", () => {
    expect(err(analyzeRaw({ iteration_space_shape: { m: "0 <= m <" }, einsums: ["B[m] = A[m]"] })).path).toEqual(["workload", "iteration_space_shape", "m"])
    const unknown = err(analyzeRaw({ rank_sizes: { M: 4 }, einsums: [{ einsum: "B[m] = A[m]", iteration_space_shape: ["0 <= m < 4", "0 <= z < 2"] }] }))
    expect(unknown.path).toEqual(["workload", "einsums", "B", "iteration_space_shape", "1"])
    expect(unknown.reason).toContain("not a rank variable of Einsum B")
    const empty = err(analyzeRaw({ rank_sizes: { M: 4 }, einsums: [{ einsum: "B[m] = A[m]", iteration_space_shape: ["3 <= m < 2"] }] }))
    expect(empty.reason).toContain("empty")
    expect(err(analyzeRaw({ rank_sizes: { M: 0 }, einsums: ["B[m] = A[m]"] })).reason).toContain("must be at least 1")
  })
  it("rank-size failures carry their path", () => {
    expect(err(analyzeRaw({ rank_sizes: { M: "7/2" }, einsums: [] })).path).toEqual(["workload", "rank_sizes", "M"])
  })
})

describe("property: tensor extents and sizes over random boxes equal brute force", () => {
  const arbitrary = fc.integer({ min: 1, max: 3 }).chain((n) =>
    fc.record({
      sizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: n, maxLength: n }),
      ranks: fc.array(
        fc.record({ coefficients: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }), constant: fc.integer({ min: 0, max: 3 }) }),
        { minLength: 1, maxLength: 3 }
      )
    })
  )
  it("matches enumeration", () => {
    fc.assert(
      fc.property(arbitrary, ({ sizes, ranks }) => {
        const vars = sizes.map((_, i) => `v${i}`)
        const projection = Object.fromEntries(
          ranks.map((r, k) => [`R${k}`, [...r.coefficients.map((c, i) => `${c}*v${i}`), String(r.constant)].join(" + ")])
        )
        const a = ok(analyzeRaw({
          einsums: [{
            name: "E",
            tensor_accesses: [{ name: "T", projection }, { name: "O", projection: vars, output: true }],
            iteration_space_shape: sizes.map((s, i) => `0 <= v${i} < ${s}`)
          }]
        }))
        const points: Array<Array<number>> = [[]]
        for (const s of sizes) {
          const next: Array<Array<number>> = []
          for (const p of points) for (let x = 0; x < s; x++) next.push([...p, x])
          points.splice(0, points.length, ...next)
        }
        const extents = ranks.map((r) => {
          const values = points.map((p) => p.reduce((acc, x, i) => acc + (r.coefficients[i] ?? 0) * x, r.constant))
          return Math.max(...values) - Math.min(...values) + 1
        })
        const t = tensor(a, "T")
        expect(t?.shape.map((s) => s.extent)).toEqual(extents)
        expect(t?.size).toBe(extents.reduce((x, y) => x * y, 1))
        expect(a.einsums[0]?.opCount).toBe(points.length)
      }),
      { numRuns: 200, seed: 11 }
    )
  })
})
