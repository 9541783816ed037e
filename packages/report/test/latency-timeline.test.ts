/**
 * The latency timeline from the model's overlap breakdown: one bar per Einsum from its start to
 * its end, then one per component from 0 to its busy time, Einsums first in workload order.
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import type { OverlapBreakdown } from "@effect-accelforge/model"
import { chartView, countMarks, renderChartSvg } from "../src/chart/render-svg.ts"
import { latencyTimelineChart, timelineEntries } from "../src/charts/latency-timeline.ts"
import { close, sceneItems } from "./chain-case.ts"

const overlap: OverlapBreakdown = {
  mode: "pipeline",
  latency: 96,
  criticalPath: 80,
  einsums: [{ einsum: "e1", start: 0, end: 48 }, { einsum: "e2", start: 24, end: 80 }],
  components: [{ component: "DRAM", busy: 96 }, { component: "MAC", busy: 2 }]
}

describe("the latency timeline of an overlap breakdown", () => {
  it("draws the Einsums at their starts and ends and the components over their busy times", async () => {
    const entries = timelineEntries(overlap)
    expect(entries.map((e) => [e.einsum, e.phase])).toEqual([["e1", "run"], ["e2", "run"], ["DRAM", "busy"], ["MAC", "busy"]])
    const chart = latencyTimelineChart(entries, ["e1", "e2"])
    expect((chart.spec as { encoding: { y: { sort: unknown } } }).encoding.y.sort).toEqual(["e1", "e2", "DRAM", "MAC"])
    const view = await chartView(chart)
    const x = view.scale("x") as unknown as { invert: (px: number) => number }
    const bars = sceneItems(view, "rect")
    expect(bars).toHaveLength(4)
    for (const b of bars) {
      const e = entries.find((q) => q.einsum === b.datum["einsum"])!
      expect(close(x.invert(b.x), e.start, 1e-9) && close(x.invert(b.x + b.width), e.end, 1e-9), `${e.einsum}`).toBe(true)
    }
    view.finalize()
    expect(countMarks(await Effect.runPromise(renderChartSvg(chart)))).toBe(4)
  })
})
