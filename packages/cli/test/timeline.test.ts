import { describe, expect, it } from "vitest"
import { renderTimeline } from "../src/format/timeline.ts"

describe("the text timeline", () => {
  it("draws each Einsum over its span and each component over its busy time, on the latency's scale", () => {
    const text = renderTimeline({
      mode: "pipeline",
      latency: 96,
      criticalPath: 80,
      einsums: [{ einsum: "e1", start: 0, end: 48 }, { einsum: "e2", start: 24, end: 80 }],
      components: [{ component: "DRAM", busy: 96 }, { component: "MAC", busy: 2 }]
    })
    const lines = text.split("\n")
    expect(lines[0]).toBe("Timeline (overlap pipeline; latency 96, critical path ends at 80):")
    // 48 cells for 96 cycles: e1 fills the first half, e2 starts at cell 12 and ends at cell 40.
    expect(lines[1]).toBe(`e1   |${"#".repeat(24)}${" ".repeat(24)}| 0 .. 48`)
    expect(lines[2]).toBe(`e2   |${" ".repeat(12)}${"#".repeat(28)}${" ".repeat(8)}| 24 .. 80`)
    // DRAM is busy for the whole latency: it is what sets it.
    expect(lines[3]).toBe(`DRAM |${"#".repeat(48)}| busy 96`)
    // A short busy time still shows one cell.
    expect(lines[4]).toBe(`MAC  |#${" ".repeat(47)}| busy 2`)
  })
})
