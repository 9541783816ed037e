/**
 * The roofline of the three-layer chain on the two-level arch, derived by hand from the
 * workload and the arch: in the bundled mapping DRAM holds X0, W0, W1, W2 and X3 above every
 * loop, so each crosses the DRAM boundary exactly once (8-bit values): X1 moves X0 and W0, X2
 * moves W1, X3 moves W2 and writes X3. Each Einsum does T x D x D MACs. The MAC does 1 op per
 * cycle; DRAM reads 16 one-bit actions per cycle, 2 bytes per cycle.
 */
import { Effect, Result } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { chartView, countMarks, renderChartSvg } from "../src/chart/render-svg.ts"
import { rooflineChart } from "../src/charts/roofline.ts"
import { type Roofline, rooflineOf } from "../src/roofline/roofline-data.ts"
import { type Case, chainCase, close, pointValue, sceneItems } from "./chain-case.ts"

const T = 256
const D = 128
const OPS = T * D * D
const bytesMoved: Record<string, number> = { X1: T * D + D * D, X2: D * D, X3: D * D + T * D }

let c: Case
let roofline: Roofline
beforeAll(async () => {
  c = await chainCase()
  const r = rooflineOf(c.loaded, c.result)
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  roofline = r.success
})

describe("roofline", () => {
  it("points are ops / bytes moved across DRAM and ops / latency; roofs come from the arch", () => {
    expect(roofline.outerMemory).toBe("DRAM")
    expect(roofline.bandwidth).toBe(16 / 8)
    expect(roofline.roofs).toEqual([{ compute: "MAC", peak: 1 }])
    expect(roofline.points.map((p) => p.einsum)).toEqual(["X1", "X2", "X3"])
    for (const p of roofline.points) {
      expect(p.ops).toBe(OPS)
      expect(p.bytes).toBe(bytesMoved[p.einsum])
      expect(p.intensity).toBe(OPS / bytesMoved[p.einsum]!)
      const latency = c.result.einsums.find((e) => e.einsum === p.einsum)!.latency
      expect(p.performance).toBe(OPS / latency)
      // The model's latency never beats the roof.
      expect(p.performance).toBeLessThanOrEqual(Math.min(1, roofline.bandwidth! * p.intensity) * (1 + 1e-12))
    }
  })

  it("the chart places each Einsum at its intensity and performance, under one roof", async () => {
    const chart = rooflineChart(roofline)
    const view = await chartView(chart)
    const symbols = sceneItems(view, "symbol")
    expect(symbols).toHaveLength(3)
    for (const s of symbols) {
      const p = roofline.points.find((q) => q.einsum === s.datum["einsum"])!
      const at = pointValue(view, s)
      expect(close(at.x, p.intensity, 1e-9) && close(at.y, p.performance, 1e-9)).toBe(true)
    }
    // One roof polyline: up the bandwidth slope (2 bytes per cycle) to the ridge at 1/2 op per byte, then flat at 1.
    const roof = sceneItems(view, "line")
    expect(new Set(roof.map((v) => v.datum["roof"]))).toEqual(new Set(["MAC"]))
    for (const v of roof) expect(v.datum["performance"]).toBe(Math.min(1, 2 * Number(v.datum["intensity"])))
    expect(roof.some((v) => v.datum["intensity"] === 0.5)).toBe(true)
    view.finalize()
    const svg = await Effect.runPromise(renderChartSvg(chart))
    expect(countMarks(svg)).toBe(chart.expectedMarks)
    expect(chart.expectedMarks).toBe(1 + 2 * 3)
  })

  it("an Einsum with no off-chip traffic is named in the caption, not plotted", async () => {
    const onChip: Roofline = { ...roofline, points: [...roofline.points, { einsum: "S", compute: "MAC", ops: 10, bytes: 0, intensity: Infinity, performance: 1 }] }
    const chart = rooflineChart(onChip)
    expect(chart.caption).toContain("S")
    expect(countMarks(await Effect.runPromise(renderChartSvg(chart)))).toBe(1 + 2 * 3)
  })
})
