/** Mappings that cannot run are InvalidMappingErrors that say what is wrong and where. */
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { evaluateMapping, InvalidMappingError } from "../src/index.ts"
import { C, mac, memory, S, Sp, spec, T } from "./spec-builder.ts"

const arch = [
  memory("DRAM"),
  memory("Buffer", { size: 64 }),
  { $tag: "Container", name: "PE", spatial: [{ name: "X", fanout: 2 }] },
  mac()
]
const loops = [T("m"), T("k"), T("n")]

const failure = (mapping: Array<unknown>, archNodes: Array<unknown> = arch): InvalidMappingError => {
  const r = evaluateMapping(spec({ arch: archNodes, mapping }))
  if (Result.isSuccess(r)) throw new Error("expected the mapping to be rejected")
  expect(r.failure).toBeInstanceOf(InvalidMappingError)
  return r.failure as InvalidMappingError
}

describe("invalid mappings", () => {
  it("accepts a valid mapping", () => {
    expect(Result.isSuccess(evaluateMapping(spec({ arch, mapping: [S("DRAM", "A", "B", "Z"), ...loops, C()] })))).toBe(true)
  })

  it("a rank variable without a tile-1 loop", () => {
    const e = failure([S("DRAM", "A", "B", "Z"), T("m"), T("n"), C()])
    expect(e.reason).toMatch(/Missing loop with tile_shape 1 for rank variable k \(bound 2\)/)
    expect(e.einsum).toBe("Z")
    expect(e.path).toEqual(["mapping", "nodes", "3"])
  })

  it("a fanout exceeded", () => {
    const e = failure([S("DRAM", "A", "B", "Z"), Sp("n", 1, "PE", "X"), T("m"), T("k"), C()])
    expect(e.reason).toMatch(/fanout exceeded: the spatial loops on PE\.X use 3 instances but the fanout is 2/)
    expect(e.path).toEqual(["mapping", "nodes", "1"])
  })

  it("nested spatial loops on one dimension multiply", () => {
    const e = failure([S("DRAM", "A", "B", "Z"), T("m", 2), Sp("m", 1, "PE", "X"), Sp("k", 1, "PE", "X"), T("n"), C()])
    expect(e.reason).toMatch(/PE\.X use 4 instances/)
  })

  it("a memory capacity exceeded", () => {
    // Buffer: A whole (4×2×8 = 64 bits) and B whole (2×3×8 = 48 bits) at once.
    const e = failure([S("DRAM", "A", "B", "Z"), S("Buffer", "A", "B"), ...loops, C()])
    expect(e.reason).toMatch(/capacity exceeded: Buffer must hold 112 bits at once \(A 64, B 48\) but its size is 64 bits/)
  })

  it("a buffer at a split is held only from its tensor's first user to its last", () => {
    // B = A, C = B, D = C over m = 4, 8 bits: B and C live in the Buffer above the split.
    // While Einsum B runs the Buffer holds A and B (C's first user has not started); while C
    // runs, B and C; while D runs, only C: 64 bits at most. Counting every buffer above the
    // split for every branch would need 96.
    const workload = { rank_sizes: { M: 4 }, bits_per_value: { All: 8 }, einsums: ["B[m] = A[m]", "C[m] = B[m]", "D[m] = C[m]"] }
    const branch = (einsum: string, ...held: Array<string>) => ({ $tag: "Nested", nodes: [...(held.length > 0 ? [S("Buffer", ...held)] : []), T("m"), C(einsum)] })
    const mapping = [S("DRAM", "A", "D"), S("Buffer", "B", "C"), { $tag: "Sequential", nodes: [branch("B", "A"), branch("C"), branch("D")] }]
    const fits = (size: number) => [memory("DRAM"), memory("Buffer", { size }), mac()]
    expect(Result.isSuccess(evaluateMapping(spec({ arch: fits(64), workload, mapping })))).toBe(true)
    const r = evaluateMapping(spec({ arch: fits(63), workload, mapping }))
    expect(Result.isFailure(r) && (r.failure as InvalidMappingError).reason).toMatch(/Buffer must hold 64 bits at once \(B 32, C 32\) but its size is 63 bits/)
  })

  it("a tensor never stored", () => {
    expect(failure([S("DRAM", "A", "B"), ...loops, C()]).reason).toMatch(/tensor Z is never stored/)
  })

  it("an unknown component", () => {
    expect(failure([S("SRAM", "A", "B", "Z"), ...loops, C()]).reason).toMatch(/unknown component SRAM; the arch has DRAM, Buffer, PE, MAC/)
    expect(failure([S("DRAM", "A", "B", "Z"), ...loops, C("Z", "ALU")]).reason).toMatch(/unknown compute component ALU/)
    expect(failure([S("PE", "A", "B", "Z"), ...loops, C()]).reason).toMatch(/!Storage needs a Memory, but PE is a Container/)
    expect(failure([S("DRAM", "A", "B", "Z"), Sp("m", 1, "PE", "Y"), ...loops, C()]).reason).toMatch(/PE has no spatial dimension Y \(it has X\)/)
  })

  it("a component off the compute's path", () => {
    const forked = [memory("DRAM"), { $tag: "Fork", nodes: [memory("Side"), { ...mac(), name: "Other" }] }, mac()]
    expect(failure([S("Side", "A", "B", "Z"), ...loops, C()], forked).reason).toMatch(/component Side is not on the arch path to compute MAC/)
  })

  it("an unknown Einsum, tensor or rank variable", () => {
    expect(failure([S("DRAM", "A", "B", "Z"), ...loops, C("Y")]).reason).toMatch(/unknown Einsum Y; the workload has Z/)
    expect(failure([S("DRAM", "A", "B", "Z", "Q"), ...loops, C()]).reason).toMatch(/unknown tensor Q/)
    expect(failure([S("DRAM", "A", "B", "Z"), T("p"), ...loops, C()]).reason).toMatch(/rank variable p is not one of Einsum Z's \(m, k, n\)/)
  })

  it("a tree that does not end in a Compute, or computes an Einsum twice", () => {
    expect(failure([S("DRAM", "A", "B", "Z"), ...loops]).reason).toMatch(/does not end with a !Compute/)
    const twice = [S("DRAM", "A", "B", "Z"), { $tag: "Sequential", nodes: [{ $tag: "Nested", nodes: [...loops, C()] }, { $tag: "Nested", nodes: [...loops, C()] }] }]
    expect(failure(twice).reason).toMatch(/Einsum Z is computed twice/)
    expect(failure([]).reason).toMatch(/the mapping has no nodes/)
  })

  it("a bad tile shape", () => {
    expect(failure([S("DRAM", "A", "B", "Z"), T("m", 0), ...loops, C()]).reason).toMatch(/tile_shape must be a positive integer, got 0/)
    expect(failure([S("DRAM", "A", "B", "Z"), T("m", "TILE"), ...loops, C()]).reason).toMatch(/tile_shape TILE/)
  })

  it("tile shapes may name spec variables", () => {
    const loaded = spec({ arch, mapping: [S("DRAM", "A", "B", "Z"), T("m", "TILE"), ...loops, C()], variables: { TILE: 2 } })
    expect(Result.isSuccess(evaluateMapping(loaded))).toBe(true)
  })

  it("a spec without a mapping", () => {
    const r = evaluateMapping(spec({ arch }))
    expect(Result.isFailure(r) && r.failure.message).toMatch(/there is no mapping to evaluate/)
  })

  it("every Einsum of the workload must be mapped", () => {
    const workload = { rank_sizes: { M: 2 }, bits_per_value: { All: 8 }, einsums: ["B[m] = A[m]", "C[m] = B[m]"] }
    const r = evaluateMapping(spec({ arch, workload, mapping: [S("DRAM", "A", "B"), T("m"), C("B")] }))
    expect(Result.isFailure(r) && r.failure.message).toMatch(/the mapping has no !Compute for Einsum\(s\) C/)
  })

  it("a Toll cannot back a tensor", () => {
    const withToll = [memory("DRAM"), { $tag: "Toll", name: "Link", direction: "up_and_down", leak_power: 0, area: 0, actions: [{ name: "read", energy: 1, throughput: "inf" }] }, mac()]
    const mapping = [{ $tag: "Toll", component: "Link", tensors: ["A"] }, S("DRAM", "A", "B", "Z"), ...loops, C()]
    expect(failure(mapping, withToll).reason).toMatch(/a Toll cannot back a tensor/)
  })
})
