/**
 * End-to-end: the latency timeline as a picture. `--plots DIR` and `--html FILE` carry the
 * latency-timeline chart and `--svg FILE` draws it below the LoopTree, under every overlap mode
 * (none: the Einsums as the sequential semantics places them). One bar per Einsum and one per
 * component, at the model's starts and ends (the `--json` record's overlap breakdown).
 */
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { cli, example } from "./run-cli.ts"

const spec = [example("arches/overlap_demo.yaml"), example("workloads/producer_consumer_cascade.yaml")]
const mapping = ["--mapping", example("mappings/producer_consumer_cascade.yaml")]

interface Bar {
  readonly row: string
  readonly end: number
  readonly phase: string
}

/** The bars of a rendered timeline (Vega labels each with its fields). */
const barsOf = (svg: string): Array<Bar> =>
  [...svg.matchAll(/aria-label="[^"]*Einsum \/ component: ([^;"]+); end: ([\d.e+-]+); phase: (\w+)"[^>]*aria-roledescription="bar"/g)]
    .map((m) => ({ row: m[1]!, end: Number(m[2]), phase: m[3]! }))

describe("the latency timeline chart", () => {
  for (const mode of ["none", "pipeline"] as const) {
    it(`evaluate --overlap ${mode}: --plots, --html and --svg draw one bar per Einsum and component at the model's ends`, () => {
      const dir = mkdtempSync(join(tmpdir(), "accelforge-timeline-"))
      const r = cli("evaluate", ...spec, ...mapping, "--overlap", mode, "--plots", join(dir, "plots"), "--html", join(dir, "report.html"),
        "--svg", join(dir, "tree.svg"), "--json", join(dir, "out.json"))
      expect(r.err).toBe("")
      expect(r.code).toBe(0)
      const record = JSON.parse(readFileSync(join(dir, "out.json"), "utf8")).mappings[0]
      const chart = readFileSync(join(dir, "plots", "latency-timeline.svg"), "utf8")
      const bars = barsOf(chart)
      const runs = bars.filter((b) => b.phase === "run")
      expect(runs.map((b) => b.row)).toEqual(["o1", "o2", "o3"])
      if (mode === "none") {
        // Sequential semantics: the last Einsum ends at the workload's latency.
        expect(runs[2]!.end).toBe(record.latency)
      } else {
        expect(runs.map((b) => b.end)).toEqual(record.overlap.einsums.map((e: { end: number }) => e.end))
        expect(bars.filter((b) => b.phase === "busy").map((b) => b.end)).toEqual(record.overlap.components.map((c: { busy: number }) => c.busy))
      }
      expect(readFileSync(join(dir, "report.html"), "utf8")).toContain("latency-timeline")
      // The same chart sits below the LoopTree in the --svg file.
      const svg = readFileSync(join(dir, "tree.svg"), "utf8")
      expect(svg).toContain("Einsum o1")
      expect(barsOf(svg)).toEqual(bars)
    })
  }
})
