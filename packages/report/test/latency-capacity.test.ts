/**
 * The latency chart draws each component's latency per Einsum and outlines exactly the
 * component(s) whose latency is the Einsum's; the capacity chart stacks each tensor's share of
 * each bounded memory, and the stacks equal the model's memory-usage records.
 */
import { Effect } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { chartView, countMarks, renderChartSvg } from "../src/chart/render-svg.ts"
import { capacityCharts } from "../src/charts/capacity.ts"
import { BOUND, latencyChart } from "../src/charts/latency.ts"
import { barValue, type Case, chainCase, close, sceneItems } from "./chain-case.ts"

let c: Case
beforeAll(async () => { c = await chainCase() })

describe("latency chart", () => {
  it("bar heights equal the latency breakdown; the outlined bar is the Einsum's latency", async () => {
    const view = await chartView(latencyChart(c.result))
    const bars = sceneItems(view, "rect")
    expect(bars).toHaveLength(c.result.latencyBreakdown.filter((l) => l.value > 0).length)
    for (const bar of bars) {
      const entry = c.result.latencyBreakdown.find((l) => l.einsum === bar.datum["einsum"] && l.component === bar.datum["component"])!
      expect(close(barValue(view, bar), entry.value, 1e-9)).toBe(true)
    }
    for (const e of c.result.einsums) {
      const outlined = bars.filter((b) => b.datum["einsum"] === e.einsum && b.datum["role"] === BOUND)
      expect(outlined.length).toBeGreaterThanOrEqual(1)
      for (const b of outlined) expect(b.datum["latency"]).toBe(e.latency)
      // In this case the MAC bounds every Einsum (the README's evaluate table marks it).
      expect(outlined.map((b) => b.datum["component"])).toEqual(["MAC"])
    }
    view.finalize()
  })

  it("the SVG outlines the bounding bars in black and holds the expected marks", async () => {
    const chart = latencyChart(c.result)
    const svg = await Effect.runPromise(renderChartSvg(chart))
    expect(countMarks(svg)).toBe(chart.expectedMarks)
    expect((svg.match(/aria-roledescription="bar"[^>]*stroke="#000000"/g) ?? []).length).toBe(c.result.einsums.length)
  })
})

describe("capacity chart", () => {
  it("segments equal the memory-usage fractions; unbounded memories are left out", async () => {
    const charts = capacityCharts(c.result)
    expect(charts.map((x) => x.id)).toEqual(["capacity-use-Scratchpad"])
    const chart = charts[0]!
    const view = await chartView(chart)
    const bars = sceneItems(view, "rect")
    const bounded = c.result.memoryUsage.filter((u) => u.fraction > 0)
    expect(bars).toHaveLength(bounded.length)
    expect(bars.every((b) => b.datum["memory"] === "Scratchpad")).toBe(true)
    // Each Einsum's stack is the table's capacity column (fractions summed over tensors).
    for (const e of c.result.einsums) {
      const stack = bars.filter((b) => b.datum["einsum"] === e.einsum).reduce((s, b) => s + barValue(view, b), 0)
      const want = bounded.filter((u) => u.einsum === e.einsum).reduce((s, u) => s + u.fraction, 0)
      expect(close(stack, want, 1e-9)).toBe(true)
    }
    for (const bar of bars) {
      const u = bounded.find((x) => x.einsum === bar.datum["einsum"] && x.component === bar.datum["memory"] && x.tensor === bar.datum["tensor"])!
      expect(close(barValue(view, bar), u.fraction, 1e-9)).toBe(true)
    }
    view.finalize()
    expect(countMarks(await Effect.runPromise(renderChartSvg(chart)))).toBe(chart.expectedMarks)
  })
})
