/**
 * Off-chip bytes per Einsum (metrics/off-chip.ts): the values that cross the outermost
 * memory's boundary times their bits per value, over 8. Derived by hand on a copy `Z[m] = A[m]`
 * of 8 values held only in DRAM: A is read once, Z written once. The number does not depend on
 * how DRAM counts its actions (bits per action, actions_scale), follows each tensor's own bits
 * per value, and counts every instance of the Einsum.
 */
import { describe, expect, it } from "vitest"
import type { EvaluationResult } from "../src/index.ts"
import { evaluateOk } from "./reference.ts"
import { C, mac, memory, S, spec, T } from "./spec-builder.ts"

const copy = (bits: Record<string, number> = { All: 8 }, nInstances = 1) => ({
  rank_sizes: { M: 8 },
  bits_per_value: bits,
  n_instances: nInstances,
  einsums: ["Z[m] = A[m]"]
})
const mapping = [S("DRAM", "A", "Z"), T("m"), C()]

const offChip = (r: EvaluationResult): number => r.einsums[0]!.offChipBytes

describe("off-chip bytes", () => {
  it("8-bit A read once and Z written once: 8 + 8 bytes", () => {
    expect(offChip(evaluateOk(spec({ arch: [memory("DRAM"), mac()], workload: copy(), mapping })))).toBe(16)
  })

  it("do not depend on how the outermost memory counts its actions", () => {
    const wide = memory("DRAM", { bits_per_action: 64, actions_scale: 3 })
    const r = evaluateOk(spec({ arch: [wide, mac()], workload: copy(), mapping }))
    // One 64-bit action moves all 8 values of A, counted 3 times over.
    expect(r.actions.find((a) => a.component === "DRAM" && a.tensor === "A" && a.action === "read")?.value).toBe(3)
    expect(offChip(r)).toBe(16)
  })

  it("follow each tensor's bits per value and every instance of the Einsum", () => {
    const r = evaluateOk(spec({ arch: [memory("DRAM"), mac()], workload: copy({ A: 16, Z: 8 }, 5), mapping }))
    expect(offChip(r)).toBe(5 * (8 * 2 + 8))
  })

  it("count nothing below the outermost memory: a tensor kept in the Buffer adds no bytes", () => {
    const arch = [memory("DRAM"), memory("Buffer"), mac()]
    const r = evaluateOk(spec({ arch, workload: copy(), mapping: [S("DRAM", "A", "Z"), S("Buffer", "A", "Z"), T("m"), C()] }))
    expect(r.actions.some((a) => a.component === "Buffer" && a.value > 0)).toBe(true)
    expect(offChip(r)).toBe(16)
  })
})
