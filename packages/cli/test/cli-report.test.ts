/**
 * End-to-end: `run --json FILE --html FILE --plots DIR` on the bundled transformer block (small
 * sizes, so the search takes seconds) writes a self-contained report whose numbers (the exact
 * values each table cell carries) equal the `--json` record's, and one SVG per chart.
 * `evaluate --html` works the same; an unwritable report file is one error line. `report
 * --json-input` makes a sweep's report from a list of points.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { tableRows } from "./html-tables.ts"
import { cli, example } from "./run-cli.ts"

interface Entry { einsum: string; component: string; tensor: string | null; action: string; value: number }
interface Record {
  energy: number
  latency: number
  dynamicEnergy: number
  leakEnergy: number
  area: number | null
  leakPower: number | null
  einsums: Array<{ einsum: string; energy: number; leakEnergy: number; latency: number }>
  energyBreakdown: Array<Entry>
  latencyBreakdown: Array<{ einsum: string; component: string; value: number }>
  memoryUsage: Array<{ einsum: string; component: string; bits: number }>
}
interface RunJson {
  mappings: Array<Record>
  stats: { einsums: Array<{ einsum: string; templates: number; total: number; valid: number; evaluated: number; paretoOptimal: number }> }
}

const sumBy = <A>(items: ReadonlyArray<A>, key: (a: A) => string | undefined, value: (a: A) => number) => {
  const out = new Map<string, number>()
  for (const i of items) {
    const k = key(i)
    if (k !== undefined) out.set(k, (out.get(k) ?? 0) + value(i))
  }
  return out
}

const dir = mkdtempSync(join(tmpdir(), "accelforge-report-cli-"))
const specArgs = [example("arches/two_level.yaml"), example("workloads/transformer_block.yaml"), "-D", "TOKENS=16", "-D", "HEADS=2", "-D", "HEAD_DIM=16"]
let html = ""
let record: Record
let stats: RunJson["stats"]

beforeAll(() => {
  const r = cli("run", ...specArgs, "--jobs", "1", "--quiet", "--json", join(dir, "run.json"), "--html", join(dir, "report.html"), "--plots", join(dir, "plots"))
  expect(r.err).toBe("")
  expect(r.code).toBe(0)
  html = readFileSync(join(dir, "report.html"), "utf8")
  const json = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as RunJson
  record = json.mappings[0]!
  stats = json.stats
}, 120_000)

describe("run --html on the transformer block", () => {
  it("totals equal the --json record's", () => {
    const totals = new Map(tableRows(html, "totals").map((r) => [r.keys.get("total")!, r.values.get("value")]))
    expect(totals.get("energy")).toBe(record.energy)
    expect(totals.get("dynamicEnergy")).toBe(record.dynamicEnergy)
    expect(totals.get("leakEnergy")).toBe(record.leakEnergy)
    expect(totals.get("latency")).toBe(record.latency)
    expect(totals.get("area")).toBe(record.area ?? undefined)
    expect(totals.get("leakPower")).toBe(record.leakPower ?? undefined)
  })

  it("every Einsum's energy, leak and latency equal the record's", () => {
    const rows = tableRows(html, "einsums")
    expect(rows.map((r) => r.keys.get("einsum"))).toEqual(record.einsums.map((e) => e.einsum))
    expect(rows).toHaveLength(9)
    for (const e of record.einsums) {
      const row = rows.find((r) => r.keys.get("einsum") === e.einsum)!
      expect([row.values.get("energy"), row.values.get("leakEnergy"), row.values.get("latency")]).toEqual([e.energy, e.leakEnergy, e.latency])
    }
  })

  it("every (Einsum, component) row equals the record's breakdowns", () => {
    const key = (einsum: string, component: string) => `${einsum}|${component}`
    const dynamic = sumBy(record.energyBreakdown, (e) => (e.action === "leak" ? undefined : key(e.einsum, e.component)), (e) => e.value)
    const leak = sumBy(record.energyBreakdown, (e) => (e.action === "leak" ? key(e.einsum, e.component) : undefined), (e) => e.value)
    const bits = sumBy(record.memoryUsage, (u) => key(u.einsum, u.component), (u) => u.bits)
    const rows = tableRows(html, "components")
    expect(rows.length).toBeGreaterThanOrEqual(record.latencyBreakdown.length)
    for (const row of rows) {
      const k = key(row.keys.get("einsum")!, row.keys.get("component")!)
      expect(row.values.get("dynamic"), k).toBe(dynamic.get(k) ?? 0)
      expect(row.values.get("leak"), k).toBe(leak.get(k) ?? 0)
      const latency = record.latencyBreakdown.find((l) => key(l.einsum, l.component) === k)
      expect(row.values.get("latency"), k).toBe(latency?.value)
      expect(row.values.get("bits"), k).toBe(bits.get(k) || undefined)
    }
  })

  it("the search counters equal the record's stats", () => {
    const rows = tableRows(html, "search")
    expect(rows).toHaveLength(stats.einsums.length)
    for (const c of stats.einsums) {
      const row = rows.find((r) => r.keys.get("einsum") === c.einsum)!
      for (const f of ["templates", "total", "valid", "evaluated", "paretoOptimal"] as const) expect(row.values.get(f), `${c.einsum}.${f}`).toBe(c[f])
    }
  })

  it("is self-contained: inline SVG and CSS, no script, nothing fetched", () => {
    expect(html).not.toMatch(/<script|<link|src=|href="http|@import|url\(http/i)
    expect((html.match(/<figure /g) ?? []).length).toBe(8) // six charts (the latency timeline too), the workload graph, the LoopTree
    expect(html).toContain(`data-chart="workload-graph"`)
    expect(html).toContain(`data-chart="mapping"`)
  })

  it("--plots writes one SVG per chart and the workload graph", () => {
    expect(readdirSync(join(dir, "plots")).sort()).toEqual([
      "capacity-use-Scratchpad.svg", "energy-by-action.svg", "energy-by-component.svg", "latency-by-component.svg", "latency-timeline.svg", "roofline.svg",
      "workload-graph.svg"
    ])
    expect(readFileSync(join(dir, "plots", "roofline.svg"), "utf8").startsWith("<svg")).toBe(true)
  })
})

describe("evaluate --html", () => {
  it("writes the report of the evaluated mapping; an unwritable file is one error line", () => {
    const mapping = ["--mapping", example("mappings/matmul_chain_two_level.yaml")]
    const chain = [example("arches/two_level.yaml"), example("workloads/matmul_chain.yaml")]
    const ok = cli("evaluate", ...chain, ...mapping, "--html", join(dir, "eval.html"))
    expect(ok.err).toBe("")
    expect(ok.code).toBe(0)
    expect(readFileSync(join(dir, "eval.html"), "utf8")).toContain(`<tr data-einsum="X3">`)
    const bad = cli("evaluate", ...chain, ...mapping, "--html", join(dir, "missing", "eval.html"))
    expect(bad.code).toBe(1)
    expect(bad.err.trim().split("\n")).toHaveLength(1)
    expect(bad.err).toMatch(/^error: ReportError in --html: cannot write /)
  }, 60_000)
})

describe("report --json-input (a sweep's points)", () => {
  const points = [32, 64, 128].flatMap((kb) => [128, 256].map((t) => ({ point: { BUFFER_KB: kb, TOKENS: t }, status: "done", energy: t * 1e3 / kb, latency: t + kb, offChipBytes: t * 4096 / kb })))
  const all = [...points, { point: { BUFFER_KB: 16, TOKENS: 128 }, status: "failed", energy: null, latency: null, error: "NoValidMappingError: nothing fits" }]

  it("writes the table of points and every sweep chart", () => {
    const input = join(dir, "points.json")
    writeFileSync(input, JSON.stringify(all))
    const r = cli("report", "--json-input", input, "--html", join(dir, "sweep.html"), "--plots", join(dir, "sweep-plots"), "--capacity-axis", "BUFFER_KB")
    expect(r.err).toBe("")
    expect(r.code).toBe(0)
    expect(r.out.trim()).toBe("7 point(s): 6 done, 1 failed; 6 chart(s)")
    expect(readdirSync(join(dir, "sweep-plots")).sort()).toEqual([
      "ski-slope.svg", "sweep-energy-vs-BUFFER_KB.svg", "sweep-energy-vs-TOKENS.svg", "sweep-latency-vs-BUFFER_KB.svg", "sweep-latency-vs-TOKENS.svg", "sweep-pareto-front.svg"
    ])
    const rows = tableRows(readFileSync(join(dir, "sweep.html"), "utf8"), "points")
    expect(rows).toHaveLength(all.length)
    rows.forEach((row, i) => {
      expect(row.keys.get("status")).toBe(all[i]!.status)
      expect(row.values.get("energy")).toBe(all[i]!.energy ?? undefined)
    })
  }, 60_000)

  it("a malformed list is one error line naming the file and the field", () => {
    const input = join(dir, "bad.json")
    writeFileSync(input, JSON.stringify([{ point: { A: 1 }, status: "done", energy: 1, latency: 1 }, { point: { A: 2 }, status: "running" }]))
    const r = cli("report", "--json-input", input, "--html", join(dir, "bad.html"))
    expect(r.code).toBe(1)
    expect(r.err.trim().split("\n")).toHaveLength(1)
    expect(r.err).toContain(`error: ReportError in ${input} at 1.status:`)
  }, 60_000)
})
