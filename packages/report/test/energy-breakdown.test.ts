/**
 * The energy charts draw one stacked segment per (Einsum, component) and per (Einsum, action),
 * and each segment's height, read back through the chart's y scale, is the model's energy.
 */
import { groupEntries } from "@effect-accelforge/model"
import { beforeAll, describe, expect, it } from "vitest"
import { chartView, countMarks, renderChartSvg } from "../src/chart/render-svg.ts"
import { energyByActionChart, energyByComponentChart } from "../src/charts/energy-breakdown.ts"
import { Effect } from "effect"
import { barValue, type Case, chainCase, close, sceneItems } from "./chain-case.ts"

let c: Case
beforeAll(async () => { c = await chainCase() })

const checkBars = async (chart: ReturnType<typeof energyByComponentChart>, expected: Map<string, number>, category: string) => {
  const view = await chartView(chart)
  const bars = sceneItems(view, "rect")
  const nonzero = [...expected].filter(([, v]) => v !== 0)
  expect(bars).toHaveLength(nonzero.length)
  for (const bar of bars) {
    const key = `${String(bar.datum["einsum"])}|${String(bar.datum["category"])}`
    const want = expected.get(key)
    expect(want, `${category} ${key}`).toBeDefined()
    expect(close(barValue(view, bar), want!, 1e-6), `${key}: ${barValue(view, bar)} vs ${want}`).toBe(true)
  }
  view.finalize()
}

describe("energy breakdown charts", () => {
  it("by component: bar heights equal the breakdown per (Einsum, component)", async () => {
    const expected = groupEntries(c.result.energyBreakdown, { einsum: true, component: true })
    await checkBars(energyByComponentChart(c.result), expected, "component")
  })

  it("by action: bar heights equal the breakdown per (Einsum, action)", async () => {
    const expected = groupEntries(c.result.energyBreakdown, { einsum: true, action: true })
    expect([...expected.keys()].some((k) => k.endsWith("|read"))).toBe(true)
    expect([...expected.keys()].some((k) => k.endsWith("|compute"))).toBe(true)
    await checkBars(energyByActionChart(c.result), expected, "action")
  })

  it("the SVG holds exactly the expected marks; stacks add up to each Einsum's energy", async () => {
    const chart = energyByComponentChart(c.result)
    const svg = await Effect.runPromise(renderChartSvg(chart))
    expect(svg.startsWith("<svg")).toBe(true)
    expect(countMarks(svg)).toBe(chart.expectedMarks)
    const view = await chartView(chart)
    for (const e of c.result.einsums) {
      const stack = sceneItems(view, "rect").filter((b) => b.datum["einsum"] === e.einsum).reduce((s, b) => s + barValue(view, b), 0)
      expect(close(stack, e.energy, 1e-6)).toBe(true)
    }
    view.finalize()
  })
})
