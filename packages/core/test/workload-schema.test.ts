import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { LiteralString } from "../src/loader/raw.ts"
import { decodeWorkload, Einsum, strictDecodeOptions } from "../src/workload/schema.ts"
import { Text } from "../src/workload/text.ts"
import { err, ok } from "./workload-helpers.ts"

describe("workload schema", () => {
  it("fills AccelForge's defaults", () => {
    expect(ok(decodeWorkload({}))).toEqual({
      einsums: [],
      rank_sizes: {},
      iteration_space_shape: {},
      bits_per_value: [],
      n_instances: 1
    })
    const e = ok(decodeWorkload({ einsums: [{ name: "E", tensor_accesses: [{ name: "A", projection: ["m"] }] }] })).einsums[0]
    expect(e).toEqual({
      name: "E",
      tensor_accesses: [{ name: "A", projection: ["m"], output: false, persistent: false, backing_storage_size_scale: 1 }],
      iteration_space_shape: [],
      rank_sizes: {},
      is_copy_operation: false,
      renames: [],
      n_instances: 1
    })
  })

  it("accepts LiteralString wherever a string is accepted", () => {
    expect(Schema.decodeUnknownSync(Text)(new LiteralString("x"))).toBe("x")
    const w = ok(decodeWorkload({
      einsums: [
        new LiteralString("Y[m] = A[m]"),
        { name: new LiteralString("Z"), tensor_accesses: [{ name: new LiteralString("B"), projection: { M: new LiteralString("m") }, output: true }], iteration_space_shape: [new LiteralString("0 <= m < 4")] }
      ],
      iteration_space_shape: { m: new LiteralString("0 <= m < 4") },
      persistent_tensors: new LiteralString("weight - Intermediates"),
      rank_sizes: { M: new LiteralString("2*2") }
    }))
    expect(w.einsums.map((e) => e.name)).toEqual(["Y", "Z"])
    expect(w.einsums[1]?.tensor_accesses[0]?.projection).toEqual({ M: "m" })
    expect(w.iteration_space_shape).toEqual({ m: "0 <= m < 4" })
    expect(w.persistent_tensors).toBe("weight - Intermediates")
    expect(w.rank_sizes).toEqual({ M: "2*2" })
  })

  it("flattens nested lists depth first and expands every form", () => {
    const w = ok(decodeWorkload({
      einsums: [
        { einsum: "I[b, m, d] = I_in[b, m, d]", is_copy_operation: true },
        [["V[b, m, h, e] = I[b, m, d] * WV[h, e, d]"], "K[b, m, h, e] = I[b, m, d] * WK[h, e, d]"],
        { name: "Q", tensor_accesses: [{ name: "I", projection: ["b", "m", "d"] }, { name: "Q", projection: ["b", "m", "h", "e"], output: true }] }
      ]
    }))
    expect(w.einsums.map((e) => e.name)).toEqual(["I", "V", "K", "Q"])
    expect(w.einsums[0]?.is_copy_operation).toBe(true)
  })

  it("merges the {einsum: ...} dict form", () => {
    const w = ok(decodeWorkload({
      einsums: [{
        einsum: "QK[b, m, p, h] = Q[b, m, h, e] * K[b, M: p, h, e]",
        name: "ignored",
        renames: { input: "Q" },
        rank_sizes: { P: 7 },
        iteration_space_shape: ["0 <= p < 7"],
        n_instances: 2,
        tensor_accesses: [{ name: "K", bits_per_value: 4, persistent: true, backing_storage_size_scale: 0.5 }]
      }]
    }))
    const e = w.einsums[0]
    expect(e?.name).toBe("QK")
    expect(e?.renames).toEqual([{ name: "input", source: "Q" }])
    expect(e?.rank_sizes).toEqual({ P: 7 })
    expect(e?.n_instances).toBe(2)
    expect(e?.tensor_accesses[1]).toEqual({
      name: "K",
      projection: { B: "b", M: "p", H: "h", E: "e" },
      output: false,
      persistent: true,
      backing_storage_size_scale: 0.5,
      bits_per_value: 4
    })
  })

  it("rejects re-setting projection/output and unknown tensors in the dict form", () => {
    expect(err(decodeWorkload({ einsums: [{ einsum: "A[m] = B[m]", tensor_accesses: [{ name: "C" }] }] })).path)
      .toEqual(["workload", "einsums", "0", "tensor_accesses", "0", "name"])
    expect(err(decodeWorkload({ einsums: [{ einsum: "A[m] = B[m]", tensor_accesses: [{ name: "B", projection: ["m"] }] }] })).reason)
      .toContain("set by the Einsum string")
    expect(err(decodeWorkload({ einsums: [{ einsum: "A[m] = B[m]", tensor_accesses: [{ name: "A", output: false }] }] })).path)
      .toEqual(["workload", "einsums", "0", "tensor_accesses", "0", "output"])
    expect(err(decodeWorkload({ einsums: [{ einsum: "A[m] = B[m]", tensor_accesses: [{ name: "B", color: "red" }] }] })).path)
      .toEqual(["workload", "einsums", "0", "tensor_accesses", "0", "color"])
  })

  it("normalises both rename forms to RenameEntry", () => {
    const w = ok(decodeWorkload({
      einsums: [
        { einsum: "A[m] = B[m]", renames: { input: "B", output: new LiteralString("A") } },
        { einsum: "C[m] = A[m]", renames: [{ name: "input", source: "A", expected_count: 1 }, { name: "w", source: "~All", expected_count: "1 if len(All) == 3 else 0" }, { name: "x", source: "Nothing", expected_count: null }] }
      ]
    }))
    expect(w.einsums[0]?.renames).toEqual([{ name: "input", source: "B" }, { name: "output", source: "A" }])
    expect(w.einsums[1]?.renames).toEqual([
      { name: "input", source: "A", expectedCount: 1 },
      { name: "w", source: "~All", expectedCount: "1 if len(All) == 3 else 0" },
      { name: "x", source: "Nothing" }
    ])
  })

  it("keeps bits_per_value as ordered, unevaluated entries", () => {
    const w = ok(decodeWorkload({ bits_per_value: { QK: 16, "Inputs & Intermediates": new LiteralString("8"), Other: 4 } }))
    expect(w.bits_per_value).toEqual([
      { expression: "QK", value: 16 },
      { expression: "Inputs & Intermediates", value: 8 },
      { expression: "Other", value: 4 }
    ])
    expect(err(decodeWorkload({ bits_per_value: { All: "eight" } })).path).toEqual(["workload", "bits_per_value", "All"])
  })

  it("rejects unknown keys, bad key cases and wrong types, reporting all of them", () => {
    const e = err(decodeWorkload({ version: 0.4, shape: {}, rank_sizes: { m: 3 }, iteration_space_shape: { M: "0 <= M < 3" } }))
    expect(e.reason).toContain("workload.version")
    expect(e.reason).toContain("workload.shape")
    expect(e.reason).toContain("must start with an uppercase letter")
    expect(e.reason).toContain("must start with a lowercase letter")
    expect(err(decodeWorkload({ einsums: [{ name: "E", tensor_accesses: [], typo: 1 }] })).path).toEqual(["workload", "einsums", "0", "typo"])
    expect(err(decodeWorkload({ einsums: [{ name: "E" }] })).path).toEqual(["workload", "einsums", "0", "tensor_accesses"])
    expect(err(decodeWorkload({ einsums: [{ name: "E", tensor_accesses: [], iteration_space_shape: "0 <= m < 3" }] })).path)
      .toEqual(["workload", "einsums", "0", "iteration_space_shape"])
    expect(err(decodeWorkload({ einsums: [{ name: "E", tensor_accesses: [{ name: "A", projection: { M: 0 } }] }] })).path)
      .toEqual(["workload", "einsums", "0", "tensor_accesses", "0", "projection", "M"])
    expect(err(decodeWorkload({ rank_sizes: { M: 2.5 } })).path).toEqual(["workload", "rank_sizes", "M"])
    expect(err(decodeWorkload({ einsums: [3] })).reason).toContain("expected an Einsum")
    expect(err(decodeWorkload({ einsums: [["ok[m] = A[m]", "bad"]] })).path).toEqual(["workload", "einsums", "0", "1"])
  })

  it("the Einsum schema decodes under the strict options on its own", () => {
    const r = Schema.decodeUnknownResult(Einsum)({ name: "E", tensor_accesses: [], extra: 1 }, strictDecodeOptions)
    expect(Result.isFailure(r)).toBe(true)
  })
})
