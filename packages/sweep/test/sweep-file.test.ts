/**
 * Sweep files: the product of the axes (lists), constants (other values), the metric axis,
 * explicit points, and one typed error naming the file and field for each kind of mistake.
 */
import { resolve } from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { parseMetrics } from "@effect-accelforge/core"
import { type Sweep, SweepFileError, sweepOf } from "../src/index.ts"

const FILE = "/sweeps/s.yaml"
const run = (document: unknown): Sweep => Effect.runSync(sweepOf(FILE, document))
const errorOf = (document: unknown): SweepFileError => {
  const error = Effect.runSync(Effect.flip(sweepOf(FILE, document)))
  expect(error).toBeInstanceOf(SweepFileError)
  return error
}

describe("sweep files", () => {
  it("the points are the product of the axes, the last axis fastest; constants apply to every point and are not axes", () => {
    const sweep = run({
      sweep: {
        files: ["arch.yaml", "../w.yaml"],
        define: { BUFFER_KB: [32, 64, 128], TOKENS: [128, 256], LAYERS: 2 },
        set: { "mapper.max_fused_loops": [1, 2] }
      }
    })
    expect(sweep.name).toBe("s")
    expect(sweep.points).toHaveLength(12)
    expect(sweep.axisNames).toEqual(["BUFFER_KB", "TOKENS", "mapper.max_fused_loops"])
    expect(sweep.points[0]!.files).toEqual([resolve("/sweeps/arch.yaml"), resolve("/w.yaml")])
    expect(sweep.points.slice(0, 3).map((p) => p.axes)).toEqual([
      { BUFFER_KB: 32, TOKENS: 128, "mapper.max_fused_loops": 1 },
      { BUFFER_KB: 32, TOKENS: 128, "mapper.max_fused_loops": 2 },
      { BUFFER_KB: 32, TOKENS: 256, "mapper.max_fused_loops": 1 }
    ])
    expect(sweep.points[1]!.variables).toEqual({ BUFFER_KB: 32, TOKENS: 128, LAYERS: 2 })
    // `--set`'s syntax: the value as YAML (JSON is YAML's flow form).
    expect(sweep.points[1]!.overrides).toEqual(["mapper.max_fused_loops=2"])
    expect(new Set(sweep.points.map((p) => p.key)).size).toBe(12)
  })

  it("a point's key does not depend on the order axes are written in", () => {
    const a = run({ sweep: { files: ["a.yaml"], define: { X: [1], Y: ["s"] } } })
    const b = run({ sweep: { files: ["a.yaml"], define: { Y: ["s"], X: [1] } } })
    expect(a.points[0]!.key).toBe(b.points[0]!.key)
    expect(a.points[0]!.key).toBe("{\"X\":1,\"Y\":\"s\"}")
  })

  it("metrics: a list is an axis named metric that sets mapper.metrics; one name is a constant", () => {
    const sweep = run({ sweep: { files: ["a.yaml"], define: { N: [1, 2] }, metrics: ["energy", "edp"] } })
    expect(sweep.points.map((p) => p.axes)).toEqual([
      { N: 1, metric: "energy" },
      { N: 1, metric: "edp" },
      { N: 2, metric: "energy" },
      { N: 2, metric: "edp" }
    ])
    expect(sweep.points[0]!.overrides).toEqual([`mapper.metrics=${parseMetrics("energy")}`])
    expect(sweep.points[1]!.overrides).toEqual([`mapper.metrics=${parseMetrics("edp")}`])
    const constant = run({ sweep: { files: ["a.yaml"], define: { N: [1] }, metrics: "latency" } })
    expect(constant.points[0]!.axes).toEqual({ N: 1 })
    expect(constant.points[0]!.overrides).toEqual([`mapper.metrics=${parseMetrics("latency")}`])
  })

  it("an explicit list of points, with the section's constants", () => {
    const sweep = run({
      sweep: {
        files: ["a.yaml"],
        define: { LAYERS: 2 },
        points: [{ define: { TOKENS: 16 } }, { define: { TOKENS: 32 }, set: { "arch.nodes.Buffer.size": 1024 }, metric: "edp" }]
      }
    })
    expect(sweep.points.map((p) => p.axes)).toEqual([{ TOKENS: 16 }, { TOKENS: 32, "arch.nodes.Buffer.size": 1024, metric: "edp" }])
    expect(sweep.points[1]!.variables).toEqual({ LAYERS: 2, TOKENS: 32 })
    expect(sweep.points[1]!.overrides).toEqual(["arch.nodes.Buffer.size=1024", `mapper.metrics=${parseMetrics("edp")}`])
  })

  it("mistakes are one SweepFileError naming the file and the field", () => {
    expect(errorOf({ nothing: 1 })).toMatchObject({ file: FILE, path: "sweep" })
    expect(errorOf({ sweep: { files: [] } }).path).toMatch(/^sweep\.files/)
    expect(errorOf({ sweep: { files: ["a.yaml"], metrics: ["energy", "speed"] } })).toMatchObject({ path: "sweep.metrics.1" })
    expect(errorOf({ sweep: { files: ["a.yaml"], define: { N: [] } } })).toMatchObject({ path: "sweep.N", reason: "an axis needs at least one value" })
    expect(errorOf({ sweep: { files: ["a.yaml"], define: { N: [1, 2] }, points: [{ define: { M: 1 } }] } }).path).toBe("sweep.N")
    expect(errorOf({ sweep: { files: ["a.yaml"], points: [{ define: { M: 1 } }, { define: { M: 1 } }] } }).reason).toMatch(/listed twice/)
    expect(errorOf({ sweep: { files: ["a.yaml"], points: [{ metric: "fast" }] } }).path).toBe("sweep.points.0.metric")
    expect(errorOf({ sweep: { files: "a.yaml" } }).message).toMatch(/^SweepFileError in sweep\.files \(\/sweeps\/s\.yaml\): /)
  })
})
