/**
 * Sweep charts over a list shaped like `results DB --json` (constructed here: the sweep store is
 * another package): metric vs each axis and the ski-slope place every finished point at its
 * axis value and metric, join the points that differ only in the plotted axis, and leave out
 * failed points. A malformed list is one ReportError naming the field path.
 */
import { Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import { chartView, countMarks, renderChartSvg } from "../src/chart/render-svg.ts"
import { latencyTimelineChart } from "../src/charts/latency-timeline.ts"
import { skiSlopeChart } from "../src/charts/ski-slope.ts"
import { sweepAxisChart, sweepAxisCharts } from "../src/charts/sweep-axis.ts"
import { decodeSweepRecords, type SweepRecord } from "../src/sweep/sweep-record.ts"
import { sweepReport } from "../src/sweep-report.ts"
import { close, pointValue, sceneItems } from "./chain-case.ts"

const BUFFERS = [32, 64, 128, 256]
const TOKENS = [128, 256]
/** Traffic halves with each doubling of the buffer until 128 KiB, then stays (a ski-slope). */
const traffic = (kb: number, tokens: number) => tokens * 1000 * (128 / Math.min(kb, 128))
const records: Array<SweepRecord> = TOKENS.flatMap((t) =>
  BUFFERS.map((kb): SweepRecord =>
    kb === 64 && t === 256
      ? { point: { BUFFER_KB: kb, TOKENS: t }, status: "failed", error: "NoValidMappingError: nothing fits" }
      : { point: { BUFFER_KB: kb, TOKENS: t }, status: "done", energy: traffic(kb, t) * 3 + t, latency: t * 10 + kb, offChipBytes: traffic(kb, t) }
  )
)
const done = records.filter((r) => r.status === "done")

describe("sweep: metric vs axis", () => {
  it("one chart per (axis, metric)", () => {
    expect(sweepAxisCharts(records).map((c) => c.id)).toEqual([
      "sweep-energy-vs-BUFFER_KB", "sweep-latency-vs-BUFFER_KB", "sweep-energy-vs-TOKENS", "sweep-latency-vs-TOKENS"
    ])
  })

  it("every finished point sits at (axis value, metric); one line per series of the other axes", async () => {
    const chart = sweepAxisChart(records, "BUFFER_KB", "energy")
    const view = await chartView(chart)
    const symbols = sceneItems(view, "symbol")
    expect(symbols).toHaveLength(done.length)
    for (const s of symbols) {
      const at = pointValue(view, s)
      const r = done.find((d) => d.point["BUFFER_KB"] === s.datum["x"] && `TOKENS=${d.point["TOKENS"]}` === s.datum["series"])!
      expect(close(at.x, r.point["BUFFER_KB"] as number, 1e-9) && close(at.y, r.energy!, 1e-9)).toBe(true)
    }
    expect(new Set(sceneItems(view, "line").map((v) => v.datum["series"]))).toEqual(new Set(["TOKENS=128", "TOKENS=256"]))
    view.finalize()
    expect(chart.caption).toContain("1 failed")
    expect(countMarks(await Effect.runPromise(renderChartSvg(chart)))).toBe(done.length + 2)
  })
})

describe("ski-slope", () => {
  it("points are (capacity, off-chip bytes) of finished points; traffic never rises with capacity", async () => {
    const chart = skiSlopeChart(records, "BUFFER_KB")
    const view = await chartView(chart)
    const symbols = sceneItems(view, "symbol")
    expect(symbols).toHaveLength(done.length)
    for (const s of symbols) {
      const at = pointValue(view, s)
      const tokens = Number(String(s.datum["series"]).split("=")[1])
      expect(close(at.y, traffic(at.x, tokens), 1e-9)).toBe(true)
    }
    view.finalize()
    expect(countMarks(await Effect.runPromise(renderChartSvg(chart)))).toBe(chart.expectedMarks)
    expect(chart.expectedMarks).toBe(done.length + 2)
  })

  it("points without offChipBytes are left out, and the caption counts them", () => {
    const partial = records.map((r, i) => (i === 0 ? { point: r.point, status: r.status, energy: 1, latency: 1 } : r))
    const chart = skiSlopeChart(partial, "BUFFER_KB")
    expect(chart.expectedMarks).toBe(done.length - 1 + 2)
    expect(chart.caption).toContain("1 finished point(s) have no off-chip bytes")
    expect(skiSlopeChart(records, "BUFFER_KB").caption).not.toContain("no off-chip bytes")
  })

  it("a capacity axis the points do not have is one ReportError naming the axes", async () => {
    const r = await Effect.runPromise(Effect.result(sweepReport({ title: "t", subtitle: [], records, capacityAxis: "BUFFER" })))
    expect(Result.isFailure(r) && r.failure.message).toBe("ReportError in --capacity-axis: no axis BUFFER; the points' axes are BUFFER_KB, TOKENS")
  })
})

describe("sweep records", () => {
  it("a malformed list is one ReportError naming the file and the field path", () => {
    const bad = [{ point: { A: 1 }, status: "done", energy: 1, latency: 1 }, { point: { A: 2 }, status: "finished" }]
    const r = decodeSweepRecords(bad, "points.json")
    expect(Result.isFailure(r)).toBe(true)
    if (Result.isFailure(r)) {
      expect(r.failure._tag).toBe("ReportError")
      expect(r.failure.message).toMatch(/^ReportError in points\.json at 1\.status: /)
    }
    expect(Result.isSuccess(decodeSweepRecords(records, "ok.json"))).toBe(true)
  })
})

describe("latency timeline", () => {
  it("one bar per record, from its start to its end", async () => {
    const entries = [{ einsum: "X1", start: 0, end: 40 }, { einsum: "X2", start: 30, end: 90 }, { einsum: "X2", start: 90, end: 100, phase: "write-back" }]
    const chart = latencyTimelineChart(entries, ["X1", "X2"])
    const view = await chartView(chart)
    const x = view.scale("x") as unknown as { invert: (px: number) => number }
    const bars = sceneItems(view, "rect")
    expect(bars).toHaveLength(3)
    for (const b of bars) {
      const e = entries.find((q) => q.einsum === b.datum["einsum"] && q.start === b.datum["start"])!
      expect(close(x.invert(b.x), e.start, 1e-9) && close(x.invert(b.x + b.width), e.end, 1e-9)).toBe(true)
    }
    view.finalize()
    expect(countMarks(await Effect.runPromise(renderChartSvg(chart)))).toBe(3)
  })
})
