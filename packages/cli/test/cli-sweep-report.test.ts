/**
 * `report DB`: a small sweep (the two-level arch's scratchpad from 1/8 KiB to 8 KiB, two token
 * counts, minimum energy) is searched and recorded, then reported from its results store. The
 * points table holds the store's numbers exactly, and the ski-slope's data are the store's
 * (capacity, off_chip_bytes) rows, one mark each. At the largest scratchpad the traffic is the
 * compulsory one, derived from the workload. Misuse is one error line.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { Effect, Option } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { countMarks, skiSlopeChart } from "@effect-accelforge/report"
import { failedOutcome, ResultsStore } from "@effect-accelforge/sweep"
import { storedSweepRecords } from "../src/stored-sweep-records.ts"
import { tableRows } from "./html-tables.ts"
import { cli, cliWith, root } from "./run-cli.ts"

interface PointRow {
  readonly axes: string
  readonly status: string
  readonly energy: number
  readonly latency: number
  readonly off_chip_bytes: number
}

const dir = mkdtempSync(join(tmpdir(), "accelforge-sweep-report-"))
const db = join(dir, "ski-slope.sqlite")
let rows: Array<PointRow & { kib: number; tokens: number }> = []

beforeAll(() => {
  const sweep = cliWith({ timeout: 300_000 }, "sweep", resolve(root, "packages/sweep/test/fixtures/ski-slope.yaml"), "--db", db, "--no-cache", "--jobs", "2", "--quiet")
  expect(sweep.code).toBe(0)
  const database = new DatabaseSync(db, { readOnly: true })
  const stored = database.prepare("SELECT axes, status, energy, latency, off_chip_bytes FROM points ORDER BY point_index").all() as unknown as Array<PointRow>
  database.close()
  rows = stored.map((r) => {
    const axes = JSON.parse(r.axes) as { SCRATCHPAD_KIB: number; TOKENS: number }
    return { ...r, kib: axes.SCRATCHPAD_KIB, tokens: axes.TOKENS }
  })
}, 300_000)

describe("report DB (a sweep's results store)", () => {
  it("writes the HTML and every chart; the points table holds the store's numbers", () => {
    const r = cli("report", db, "--html", join(dir, "sweep.html"), "--plots", join(dir, "plots"), "--capacity-axis", "SCRATCHPAD_KIB")
    expect(r.err).toBe("")
    expect(r.code).toBe(0)
    expect(r.out.trim()).toBe("8 point(s): 8 done, 0 failed; 6 chart(s)")
    expect(readdirSync(join(dir, "plots")).sort()).toEqual([
      "ski-slope.svg", "sweep-energy-vs-SCRATCHPAD_KIB.svg", "sweep-energy-vs-TOKENS.svg", "sweep-latency-vs-SCRATCHPAD_KIB.svg", "sweep-latency-vs-TOKENS.svg", "sweep-pareto-front.svg"
    ])
    const html = readFileSync(join(dir, "sweep.html"), "utf8")
    expect(html).toContain(`${db}, sweep ski-slope: 8 point(s)`)
    const table = tableRows(html, "points")
    expect(table).toHaveLength(8)
    table.forEach((row, i) => {
      expect(row.keys.get("status")).toBe(rows[i]!.status)
      expect([row.values.get("energy"), row.values.get("latency"), row.values.get("offChipBytes")]).toEqual([rows[i]!.energy, rows[i]!.latency, rows[i]!.off_chip_bytes])
    })
  }, 60_000)

  it("the ski-slope's data are the store's (capacity, off-chip bytes) rows, one mark each and a line per token count", async () => {
    const { records } = await Effect.runPromise(storedSweepRecords(db, Option.none()))
    const chart = skiSlopeChart(records, "SCRATCHPAD_KIB")
    expect((chart.spec.data as { values: unknown }).values).toEqual(rows.map((r) => ({ capacity: r.kib, traffic: r.off_chip_bytes, series: `TOKENS=${r.tokens}` })))
    expect(chart.expectedMarks).toBe(8 + 2)
    expect(countMarks(readFileSync(join(dir, "plots", "ski-slope.svg"), "utf8"))).toBe(chart.expectedMarks)
  })

  it("at 8 KiB the traffic is compulsory: X0, W0, W1 and X2 cross once (8-bit values), X1 stays on chip", () => {
    const WIDTH = 32
    for (const r of rows.filter((p) => p.kib === 8)) expect(r.off_chip_bytes).toBe(r.tokens * WIDTH + 2 * WIDTH * WIDTH + r.tokens * WIDTH)
    for (const r of rows) expect(r.off_chip_bytes).toBeGreaterThanOrEqual(r.tokens * WIDTH * 2 + 2 * WIDTH * WIDTH)
  })

  it("a database of several sweeps needs --sweep; misuse is one error line", async () => {
    const two = join(dir, "two.sqlite")
    copyFileSync(db, two)
    await Effect.runPromise(Effect.gen(function*() {
      const store = yield* ResultsStore
      yield* store.openSweep({ name: "other", file: "other.yaml", axisNames: ["A"], points: [] })
      yield* store.record("other", { point: { key: "a", axes: { A: 1 } }, index: 0, outcome: failedOutcome("NoValidMappingError", "nothing fits", 1, "test") })
    }).pipe(Effect.provide(ResultsStore.sqlite(two))))
    const html = join(dir, "two.html")
    const errorLine = (...args: Array<string>) => {
      const r = cli("report", ...args)
      expect(r.code).toBe(1)
      expect(r.err.trim().split("\n")).toHaveLength(1)
      return r.err.trim()
    }
    expect(errorLine(two, "--html", html)).toBe(`error: ReportError in ${two}: it holds 2 sweeps (other, ski-slope): choose one with --sweep NAME`)
    expect(cli("report", two, "--sweep", "ski-slope", "--html", html).out.trim()).toBe("8 point(s): 8 done, 0 failed; 5 chart(s)")
    expect(errorLine(two, "--sweep", "nope", "--html", html)).toBe(`error: ReportError in ${two}: no points of sweep nope`)
    expect(errorLine(join(dir, "missing.sqlite"), "--html", html)).toMatch(/^error: ResultsStoreError \(.*missing\.sqlite\): no results database at /)
    expect(errorLine("--html", html)).toBe("error: ReportError in report: give the sweep's database (report DB) or --json-input FILE, one of them")
    expect(errorLine(db, "--json-input", "points.json", "--html", html)).toBe("error: ReportError in report: give the sweep's database (report DB) or --json-input FILE, one of them")
    expect(errorLine(db, "--html", html, "--capacity-axis", "SCRATCHPAD")).toBe("error: ReportError in --capacity-axis: no axis SCRATCHPAD; the points' axes are SCRATCHPAD_KIB, TOKENS")
  }, 180_000)
})
