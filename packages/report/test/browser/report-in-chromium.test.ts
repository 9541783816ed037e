/**
 * The HTML reports open in a real browser (headless Chromium): no console error, no request
 * leaves the file (everything is inline), every chart's SVG shows exactly the data marks its
 * data calls for, the workload graph shows every Einsum and tensor, the LoopTree is drawn, and
 * a screenshot is taken. Covers every chart: the mapping report with a front and a timeline,
 * and the sweep report with the ski-slope.
 */
import { mkdtempSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { Effect } from "effect"
import type { BrowserContext } from "playwright-core"
import { beforeAll, describe, expect, it } from "vitest"
import { MARK_SELECTOR } from "../../src/chart/render-svg.ts"
import { mappingReport } from "../../src/mapping-report.ts"
import { sweepReport } from "../../src/sweep-report.ts"
import type { SweepRecord } from "../../src/sweep/sweep-record.ts"
import { chainCase } from "../chain-case.ts"
import { HAS_CHROMIUM, NO_CHROMIUM_MESSAGE, withChromium } from "./chromium.ts"

if (!HAS_CHROMIUM) console.warn(`report-in-chromium: ${NO_CHROMIUM_MESSAGE}`)

const dir = mkdtempSync(join(tmpdir(), "accelforge-report-"))
const pages: Record<string, string> = {}
const chartIds: Record<string, Array<string>> = {}

beforeAll(async () => {
  const c = await chainCase()
  const e = c.result.energy
  const l = c.result.latency
  const mapping = await Effect.runPromise(mappingReport({
    title: "Chain report",
    subtitle: ["two_level.yaml matmul_chain.yaml"],
    loaded: c.loaded,
    result: c.result,
    mapping: c.source.mapping,
    front: [{ energy: e, latency: l, chosen: true }, { energy: e * 1.4, latency: l * 0.6 }, { energy: e * 2, latency: l * 0.5 }, { energy: e * 2.2, latency: l * 0.9 }],
    timeline: c.result.einsums.map((x, i) => ({ einsum: x.einsum, start: i * x.latency, end: (i + 1) * x.latency }))
  }))
  pages["mapping"] = join(dir, "mapping.html")
  writeFileSync(pages["mapping"], mapping.html)
  chartIds["mapping"] = mapping.charts.map((x) => x.chart.id)
  const records: Array<SweepRecord> = [32, 64, 128].flatMap((kb) =>
    [128, 256].map((t): SweepRecord => ({ point: { BUFFER_KB: kb, TOKENS: t }, status: "done", energy: t * 1e3 / kb + t, latency: t * 10 + kb, offChipBytes: (t * 4096) / kb }))
  )
  const sweep = await Effect.runPromise(sweepReport({ title: "Sweep report", subtitle: [], records: [...records, { point: { BUFFER_KB: 16, TOKENS: 128 }, status: "failed", error: "nothing fits" }], capacityAxis: "BUFFER_KB" }))
  pages["sweep"] = join(dir, "sweep.html")
  writeFileSync(pages["sweep"], sweep.html)
  chartIds["sweep"] = sweep.charts.map((x) => x.chart.id)
}, 60_000)

interface Seen {
  readonly errors: Array<string>
  readonly requests: Array<string>
  readonly figures: Array<{ id: string; expectedMarks: number | null; expectedNodes: number | null; marks: number; nodes: number; width: number; height: number }>
}

const open = async (browser: BrowserContext, file: string, screenshot: string): Promise<Seen> => {
  const page = await browser.newPage()
  const errors: Array<string> = []
  const requests: Array<string> = []
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()) })
  page.on("pageerror", (e) => errors.push(e.message))
  page.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()) })
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" })
  const figures = await page.$$eval("figure[data-chart]", (els, selector) =>
    els.map((f) => {
      const svg = f.querySelector("svg")
      const box = svg?.getBoundingClientRect()
      return {
        id: f.getAttribute("data-chart") ?? "",
        expectedMarks: f.hasAttribute("data-expected-marks") ? Number(f.getAttribute("data-expected-marks")) : null,
        expectedNodes: f.hasAttribute("data-expected-nodes") ? Number(f.getAttribute("data-expected-nodes")) : null,
        marks: svg === null ? -1 : svg.querySelectorAll(selector).length,
        nodes: svg === null ? -1 : svg.querySelectorAll("g.node").length,
        width: box?.width ?? 0,
        height: box?.height ?? 0
      }
    }), MARK_SELECTOR)
  await page.screenshot({ path: screenshot, fullPage: true })
  await page.close()
  return { errors, requests, figures }
}

describe.skipIf(!HAS_CHROMIUM)("the HTML report in headless Chromium", () => {
  it("every chart, the graph and the LoopTree render; no errors, no network", async () => {
    await withChromium(async (browser) => {
      for (const name of ["mapping", "sweep"] as const) {
        const shot = join(dir, `${name}.png`)
        const seen = await open(browser, pages[name]!, shot)
        expect(seen.errors, `${name}: console errors`).toEqual([])
        expect(seen.requests, `${name}: requests beyond the file`).toEqual([])
        expect(statSync(shot).size).toBeGreaterThan(10_000)
        const charts = seen.figures.filter((f) => f.expectedMarks !== null)
        expect(charts.map((f) => f.id)).toEqual(chartIds[name])
        for (const f of seen.figures) {
          expect(f.width * f.height, `${name}/${f.id} has no size`).toBeGreaterThan(1000)
          if (f.expectedMarks !== null) {
            expect(f.expectedMarks, `${name}/${f.id}`).toBeGreaterThan(0)
            expect(f.marks, `${name}/${f.id} marks`).toBe(f.expectedMarks)
          }
          if (f.expectedNodes !== null) expect(f.nodes, `${name}/${f.id} nodes`).toBe(f.expectedNodes)
        }
        if (name === "mapping") {
          expect(chartIds[name]).toEqual(["energy-by-component", "energy-by-action", "latency-by-component", "latency-timeline", "capacity-use-Scratchpad", "roofline", "pareto-front"])
          expect(seen.figures.map((f) => f.id)).toEqual([...chartIds[name]!, "workload-graph", "mapping"])
          expect(seen.figures.find((f) => f.id === "mapping")!.nodes).toBeGreaterThan(0)
        } else {
          expect(chartIds[name]).toContain("ski-slope")
          expect(chartIds[name]).toContain("sweep-pareto-front")
        }
      }
    })
  }, 60_000)
})
