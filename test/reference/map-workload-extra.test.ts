/**
 * The `map_workload_to_arch` cases of AccelForge's unit tests (extra_cases_public.json):
 * fanout variations (latency of one 64³ matmul on 4-way fanouts), Tolls, and values per
 * action, searched by our mapper and re-evaluated by the model.
 */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { af, HAS_SHARED, searchFiles } from "./regression-cases.ts"

interface ExtraCase {
  readonly id: string
  readonly kind: string
  readonly inputs: { arch: string; workload: string; jinja?: Record<string, unknown>; metrics: string }
  readonly expect: { query?: string; value?: number; energy_gt?: number; n_rows_gt?: number }
}

const cases = (): ReadonlyArray<ExtraCase> =>
  (JSON.parse(readFileSync(af("expected/extra_cases_public.json"), "utf8")) as { cases: ReadonlyArray<ExtraCase> }).cases
    .filter((c) => c.kind === "map_workload_to_arch")

const search = (c: ExtraCase) =>
  searchFiles({ files: [af(c.inputs.arch), af(c.inputs.workload)], variables: c.inputs.jinja ?? {}, overrides: [`mapper.metrics=${c.inputs.metrics}`, "mapper._tie_break=first"] }, 1)

describe.skipIf(!HAS_SHARED)("map_workload_to_arch reference cases", () => {
  const all = HAS_SHARED ? cases() : []

  it("there are eight public cases", () => {
    expect(all.map((c) => c.id)).toHaveLength(8)
  })

  for (const c of all.filter((x) => x.id.startsWith("test_mapper.fanout"))) {
    it(`${c.id}: Matmul0 latency ${c.expect.value}`, async () => {
      const r = await search(c)
      const matmul0 = r.evaluation.einsums.find((e) => e.einsum === "Matmul0")!
      expect(matmul0.latency).toBeCloseTo(c.expect.value!, 6)
      // The columns the reference names exist: reads and writes booked at MainMemory and GlobalBuffer.
      const components = new Set(r.evaluation.actions.filter((a) => a.action === "read" || a.action === "write").map((a) => a.component))
      expect(components).toContain("MainMemory")
      expect(components).toContain("GlobalBuffer")
    })
  }

  for (const c of all.filter((x) => x.expect.query?.includes("Total<SEP>energy"))) {
    it(`${c.id}: energy ${c.expect.value}`, async () => {
      const r = await search(c)
      expect(r.evaluation.energy).toBeCloseTo(c.expect.value!, 3)
      expect(r.objectives.energy).toBeCloseTo(c.expect.value!, 3)
    })
  }

  for (const c of all.filter((x) => x.expect.energy_gt !== undefined)) {
    it(`${c.id}: a Toll that is not the outermost holder still maps`, async () => {
      const r = await search(c)
      expect(r.evaluation.energy).toBeGreaterThan(c.expect.energy_gt!)
      expect(r.frontSize).toBeGreaterThan(c.expect.n_rows_gt!)
    })
  }
})
