/**
 * The convergence chart of `compare`: every improvement of every strategy is a point at
 * (evaluations, score / reference) on log scales, and each strategy with a point has one step
 * line (running on to its last evaluation); histories without a positive score draw nothing.
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { chartView, countMarks, renderChartSvg } from "../src/chart/render-svg.ts"
import { convergenceChart } from "../src/charts/convergence.ts"
import { close, pointValue, sceneItems } from "./chain-case.ts"

const point = (strategy: string, evaluations: number, score: number) => ({ strategy, evaluations, seconds: evaluations / 1000, score })
const runs = [
  { strategy: "ffm", evaluations: 8000, history: [point("ffm", 8000, 100)] },
  { strategy: "hybrid", evaluations: 5000, history: [point("hybrid", 2, 240), point("hybrid", 40, 130), point("hybrid", 900, 104)] },
  { strategy: "sa", evaluations: 1e6, history: [point("sa", 130, 180), point("sa", 4e4, 100)] },
  { strategy: "ga", evaluations: 10, history: [] }
]

describe("convergence chart", () => {
  it("puts each improvement at its evaluations and its score over the reference; one line per strategy with points", async () => {
    const chart = convergenceChart(runs, 100, "edp")
    const view = await chartView(chart)
    const symbols = sceneItems(view, "symbol")
    const expected = runs.flatMap((r) => r.history)
    expect(symbols).toHaveLength(expected.length)
    for (const s of symbols) {
      const at = pointValue(view, s)
      const p = expected.find((e) => e.strategy === s.datum["strategy"] && e.evaluations === s.datum["evaluations"])!
      expect(close(at.x, p.evaluations, 1e-9) && close(at.y, p.score / 100, 1e-9)).toBe(true)
    }
    expect(new Set(sceneItems(view, "line").map((l) => l.datum["strategy"]))).toEqual(new Set(["ffm", "hybrid", "sa"]))
    view.finalize()
    expect(countMarks(await Effect.runPromise(renderChartSvg(chart)))).toBe(chart.expectedMarks)
    expect(chart.expectedMarks).toBe(expected.length + 3)
  })
})
