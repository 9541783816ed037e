/**
 * Reference-shaped workloads, built by hand (the loader isn't used here) to mirror AccelForge's
 * examples. Skipped when ../shared (AccelForge's examples) is absent.
 */
import { existsSync, readFileSync } from "node:fs"
import { resolve } from "node:path"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { analyzeWorkload, decodeWorkload } from "../src/workload/index.ts"
import { ok } from "./workload-helpers.ts"

const shared = resolve(import.meta.dirname, "../../../../shared")
const workloads = resolve(shared, "reference/accelforge/examples/workloads")

// gpt3_6.7B prefill: multi_head.yaml (DECODE false: K_CACHE=K, V_CACHE=V, P=M) + dense_two_layer.yaml
const attention = [
  "I[b, m, d] = I_in[b, m, d]",
  "V[b, m, h, e] = I[b, m, d] * WV[h, e, d]",
  "K[b, m, h, e] = I[b, m, d] * WK[h, e, d]",
  "Q[b, m, h, e] = I[b, m, d] * WQ[h, e, d]",
  "QK[b, m, p, h] = Q[b, m, h, e] * K[b, M: p, h, e]",
  "QK_softmax[b, m, p, h] = QK[b, m, p, h]",
  "AV[b, m, h, f] = QK_softmax[b, m, p, h] * V[b, M: p, h, E: f]",
  "Z[b, m, g] = AV[b, m, h, f] * WZ[h, f, g]"
]
const feedforward = ["FFA[b, m, c] = Z[b, m, g] * WFFA[g, c]", "FFB[b, m, j] = FFA[b, m, c] * WFFB[c, j]"]

const gpt3Prefill = {
  rank_sizes: { P: 2048, M: 2048, B: 1, H: 32, E: 128, F: 128, D: 4096, G: 4096, C: 16384, J: 4096 },
  bits_per_value: { All: 16 },
  persistent_tensors: "weight - Intermediates",
  einsums: [
    [
      { einsum: attention[0], is_copy_operation: true },
      attention[1],
      attention[2],
      attention[3],
      { einsum: attention[4], renames: { input: "Q" } },
      attention[5],
      { einsum: attention[6], renames: { input: "QK_softmax" } },
      attention[7]
    ],
    feedforward
  ]
}

describe.skipIf(!existsSync(shared))("reference workloads (mirrored by hand)", () => {
  it("the mirrored Einsum strings are the ones in AccelForge's files", () => {
    const multiHead = readFileSync(resolve(workloads, "transformers/_attention_decode_types/multi_head.yaml"), "utf8")
      .replaceAll("{{K_CACHE}}", "K")
      .replaceAll("{{V_CACHE}}", "V")
      .replaceAll("{{P}}", "M")
    for (const s of attention) expect(multiHead).toContain(s)
    const dense = readFileSync(resolve(workloads, "transformers/_feedforward_types/dense_two_layer.yaml"), "utf8")
    for (const s of feedforward) expect(dense).toContain(s)
  })

  it("gpt3_6.7B prefill: bounds, op counts, tensor sizes", () => {
    const w = ok(decodeWorkload(gpt3Prefill))
    const a = ok(analyzeWorkload(w))
    expect(a.einsums.map((e) => e.name)).toEqual(["I", "V", "K", "Q", "QK", "QK_softmax", "AV", "Z", "FFA", "FFB"])
    expect(Object.fromEntries(a.rankVariableBounds)).toEqual({
      b: 1, m: 2048, d: 4096, h: 32, e: 128, p: 2048, f: 128, g: 4096, c: 16384, j: 4096
    })
    const ops = Object.fromEntries(a.einsums.map((e) => [e.name, e.opCount]))
    expect(ops).toEqual({
      I: 2048 * 4096,
      V: 2048 * 4096 * 32 * 128,
      K: 2048 * 4096 * 32 * 128,
      Q: 2048 * 4096 * 32 * 128,
      QK: 1 * 2048 * 2048 * 32 * 128,
      QK_softmax: 2048 * 2048 * 32,
      AV: 2048 * 32 * 128 * 2048,
      Z: 2048 * 4096 * 32 * 128,
      FFA: 2048 * 16384 * 4096,
      FFB: 2048 * 4096 * 16384
    })
    const sizes = Object.fromEntries(a.tensors.map((t) => [t.name, t.size]))
    expect(sizes).toEqual({
      I_in: 2048 * 4096,
      I: 2048 * 4096,
      WV: 32 * 128 * 4096,
      V: 2048 * 32 * 128,
      WK: 32 * 128 * 4096,
      K: 2048 * 32 * 128,
      WQ: 32 * 128 * 4096,
      Q: 2048 * 32 * 128,
      QK: 2048 * 2048 * 32,
      QK_softmax: 2048 * 2048 * 32,
      WZ: 32 * 128 * 4096,
      AV: 2048 * 32 * 128,
      Z: 2048 * 4096,
      WFFA: 4096 * 16384,
      FFA: 2048 * 16384,
      WFFB: 16384 * 4096,
      FFB: 2048 * 4096
    })
    const qk = a.einsumsByName.get("QK")
    expect(qk?.accesses.find((x) => x.tensor === "K")?.projection.map((p) => [p.rank, p.expression])).toEqual([["B", "b"], ["M", "p"], ["H", "h"], ["E", "e"]])
    expect(qk?.renames).toEqual([{ name: "input", source: "Q" }])
    expect(qk?.facts.intermediates).toEqual(["Q", "K", "QK"])
    expect(a.einsumsByName.get("I")?.isCopyOperation).toBe(true)
    expect(a.einsumsByName.get("I")?.facts.intermediates).toEqual(["I"])
    expect(a.tensorsByName.get("K")).toMatchObject({ writtenBy: ["K"], readBy: ["QK"] })
    expect(w.bits_per_value).toEqual([{ expression: "All", value: 16 }])
    expect(w.persistent_tensors).toBe("weight - Intermediates")
  })

  it("matvecs: bounds from the workload iteration_space_shape only", () => {
    const a = ok(analyzeWorkload(ok(decodeWorkload({
      iteration_space_shape: { na: "0 <= na < 4", ny: "0 <= ny < 3", nz: "0 <= nz < 4" },
      bits_per_value: { All: 8 },
      einsums: ["Y[ny] = A[na]*B[na,ny]", "Z[nz] = Y[ny]*C[ny,nz]"]
    }))))
    expect(a.einsums.map((e) => e.opCount)).toEqual([12, 12])
    expect(Object.fromEntries(a.tensors.map((t) => [t.name, t.size]))).toEqual({ A: 4, B: 12, Y: 3, C: 12, Z: 4 })
  })

  it("MoE: rank-size expressions and a copy that changes rank variables", () => {
    // mixture_of_experts.yaml with N_NEW_TOKENS=256, N_EXPERTS_PER_TOKEN=2, N_EXPERTS=8
    const a = ok(analyzeWorkload(ok(decodeWorkload({
      rank_sizes: { B: 1, M: 256, G: 64, C: 32, J: 64, X: 8, XT: "ceil(256*2/X)" },
      einsums: [
        { einsum: "Z_per_expert[b, x, xt, g] = Z[b, m, g]", is_copy_operation: true },
        "FFG[b, x, xt, c] = Z_per_expert[b, x, xt, g] * WFFG[x, g, c]",
        { einsum: "FFB[b, m, j] = FFD[b, x, xt, j]", is_copy_operation: true }
      ]
    }))))
    expect(a.rankSizes["XT"]).toBe(64)
    expect(Object.fromEntries(a.einsums[0]?.bounds ?? [])).toEqual({ b: 1, m: 256, g: 64, x: 8, xt: 64 })
    expect(a.tensorsByName.get("Z_per_expert")?.size).toBe(8 * 64 * 64)
  })

  it("a decoded failure surfaces as an EvaluationError with the workload path", () => {
    const r = decodeWorkload({ ...gpt3Prefill, version: 0.4 })
    expect(Result.isFailure(r) && r.failure.path).toEqual(["workload", "version"])
  })
})
