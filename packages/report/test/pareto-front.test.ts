/**
 * The front chart: the points it marks as non-dominated are exactly the Pareto set (checked
 * against a quadratic definition on random point sets), every point sits at its (latency,
 * energy) through the chart's log scales, and the SVG holds points + staircase + isolines.
 */
import { Effect } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { chartView, countMarks, renderChartSvg } from "../src/chart/render-svg.ts"
import { EDP_MULTIPLES, type FrontPoint, paretoFront, paretoFrontChart } from "../src/charts/pareto-front.ts"
import { close, pointValue, sceneItems } from "./chain-case.ts"

const bruteForceFront = (points: ReadonlyArray<FrontPoint>) =>
  points.filter((p) => !points.some((q) => q.energy <= p.energy && q.latency <= p.latency && (q.energy < p.energy || q.latency < p.latency)))

const key = (p: FrontPoint) => `${p.energy}/${p.latency}`
const sortedKeys = (ps: ReadonlyArray<FrontPoint>) => ps.map(key).sort()

const pointArb = fc.record({ energy: fc.integer({ min: 1, max: 40 }), latency: fc.integer({ min: 1, max: 40 }) })

describe("Pareto front", () => {
  it("paretoFront equals the quadratic definition", () => {
    fc.assert(
      fc.property(fc.array(pointArb, { minLength: 1, maxLength: 30 }), (points) => {
        expect(sortedKeys(paretoFront(points))).toEqual(sortedKeys(bruteForceFront(points)))
      }),
      { seed: 19, numRuns: 300 }
    )
  })

  it("the chart's front points are the Pareto set, each at its (latency, energy)", async () => {
    const points: Array<FrontPoint> = [
      { energy: 100, latency: 10, label: "a" },
      { energy: 60, latency: 20, label: "b", chosen: true },
      { energy: 30, latency: 50, label: "c" },
      { energy: 90, latency: 30, label: "d" },
      { energy: 65, latency: 25, label: "e" },
      { energy: 30, latency: 80, label: "f" }
    ]
    const chart = paretoFrontChart(points)
    const view = await chartView(chart)
    const symbols = sceneItems(view, "symbol")
    expect(symbols).toHaveLength(points.length)
    const onFront = symbols.filter((s) => String(s.datum["status"]).startsWith("on the front"))
    expect(onFront.map((s) => String(s.datum["label"])).sort()).toEqual(bruteForceFront(points).map((p) => p.label).sort())
    expect(symbols.filter((s) => s.datum["status"] === "on the front (chosen)").map((s) => s.datum["label"])).toEqual(["b"])
    for (const s of symbols) {
      const p = points.find((q) => q.label === s.datum["label"])!
      const at = pointValue(view, s)
      expect(close(at.x, p.latency, 1e-9) && close(at.y, p.energy, 1e-9)).toBe(true)
    }
    // Isolines: energy x latency constant at 1x, 2x, 4x the smallest EDP (a: 1000).
    // A line's scene items are its vertices; each isoline's vertices satisfy energy x latency = k x min EDP.
    const vertices = sceneItems(view, "line").filter((l) => typeof l.datum["isoline"] === "string")
    expect(new Set(vertices.map((v) => v.datum["isoline"])).size).toBe(EDP_MULTIPLES.length)
    for (const v of vertices) {
      const edp = Number(v.datum["energy"]) * Number(v.datum["latency"])
      expect(EDP_MULTIPLES.some((k) => close(edp, k * 1000, 1e-12)), `${String(v.datum["isoline"])}: ${edp}`).toBe(true)
    }
    view.finalize()
    const svg = await Effect.runPromise(renderChartSvg(chart))
    expect(countMarks(svg)).toBe(chart.expectedMarks)
    expect(chart.expectedMarks).toBe(points.length + 1 + EDP_MULTIPLES.length)
  })

  it("a single mapping still draws: one point, no staircase, the isolines through it", async () => {
    const chart = paretoFrontChart([{ energy: 5e-3, latency: 2e-4 }])
    const svg = await Effect.runPromise(renderChartSvg(chart))
    expect(countMarks(svg)).toBe(1 + EDP_MULTIPLES.length)
  })
})
