/**
 * The spec sections' own rules: `--set` overrides, metric flags, limits, arch flattening and
 * AccelForge's defaults.
 */
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { EvaluationError } from "../src/errors.ts"
import { TAG_KEY } from "../src/loader/raw.ts"
import { computeUnits, flattenFor } from "../src/resolve/flatten.ts"
import { type ArchNode, Arch } from "../src/spec/arch.ts"
import { decodeSpec } from "../src/spec/decode.ts"
import { MapperConfig } from "../src/spec/mapper-config.ts"
import { METRIC_FLAGS, parseMetrics } from "../src/spec/metrics.ts"
import { applyOverride, splitOverride } from "../src/spec/overrides.ts"

describe("--set overrides", () => {
  const doc = () => ({ arch: { nodes: [{ name: "DRAM", size: 1 }, { name: "MAC" }] } })

  it("names list items by name or index and parses nothing itself", () => {
    const a = applyOverride(doc(), { path: ["arch", "nodes", "DRAM", "size"], value: 8, text: "" })
    const b = applyOverride(doc(), { path: ["arch", "nodes", "1", "name"], value: "PE", text: "" })
    expect((a as any).arch.nodes[0].size).toBe(8)
    expect((b as any).arch.nodes[1].name).toBe("PE")
  })

  it("creates missing mapping keys and leaves the original untouched", () => {
    const original = doc()
    const out = applyOverride(original, { path: ["mapper", "max_fused_loops"], value: 1, text: "" })
    expect((out as any).mapper.max_fused_loops).toBe(1)
    expect((original as any).mapper).toBeUndefined()
  })

  it("rejects an unknown list element with a typed error", () => {
    expect(() => applyOverride(doc(), { path: ["arch", "nodes", "GLB", "size"], value: 1, text: "x" })).toThrow(EvaluationError)
  })

  it("splits PATH=VALUE at the first =", () => {
    expect(splitOverride("a.b=c=d")).toEqual({ path: ["a", "b"], valueText: "c=d" })
    expect(splitOverride("=x")).toBeUndefined()
    expect(splitOverride("a..b=1")).toBeUndefined()
  })
})

describe("mapper section", () => {
  it("has AccelForge's defaults", () => {
    const m = Schema.decodeUnknownSync(MapperConfig)({})
    expect(m.metrics).toBe(METRIC_FLAGS.ENERGY)
    expect(m.max_fused_loops).toBe(Infinity)
    expect(m.max_fused_loops_per_rank_variable).toBe(1)
    expect(m.force_memory_hierarchy_order).toBe(true)
    expect(m._skip_invalid).toBe(true)
  })

  it("reads metrics as integer flags, names, A|B or lists", () => {
    expect(parseMetrics(3)).toBe(3)
    expect(parseMetrics("energy|latency")).toBe(3)
    expect(parseMetrics(["EDP"])).toBe(128)
    expect(parseMetrics("POWER")).toBeUndefined()
    expect(parseMetrics(1000)).toBeUndefined()
  })

  it("reads inf limits", () => {
    expect(Schema.decodeUnknownSync(MapperConfig)({ max_loops: "inf", time_limit: 30 }).max_loops).toBe(Infinity)
  })

  it("rejects unknown knobs with the field path", () => {
    const r = decodeSpec({ mapper: { max_fused_loop: 1 } })
    expect(Result.isFailure(r) && r.failure.path).toEqual(["mapper", "max_fused_loop"])
    expect(Result.isFailure(r) && r.failure.reason).toBe("unknown field 'max_fused_loop'")
  })

  it("reports an untagged arch node by what it needs", () => {
    const r = decodeSpec({ arch: { nodes: [{ name: "X", size: 1 }] } })
    expect(Result.isFailure(r) && r.failure.reason).toContain("needs a YAML tag")
  })
})

describe("arch flattening", () => {
  const leaf = (tag: string, name: string) => ({ [TAG_KEY]: tag, name, size: 1 })
  const arch = Schema.decodeUnknownSync(Arch)({
    nodes: [
      leaf("Memory", "DRAM"),
      leaf("Memory", "GLB"),
      { [TAG_KEY]: "Compute", name: "Scalar" },
      { [TAG_KEY]: "Fork", nodes: [leaf("Memory", "SideBuf"), { [TAG_KEY]: "Compute", name: "Side" }] },
      { [TAG_KEY]: "Container", name: "PE" },
      leaf("Memory", "Reg"),
      { [TAG_KEY]: "Compute", name: "MAC" }
    ]
  })
  const names = (target: string) => flattenFor(arch.nodes as ReadonlyArray<ArchNode>, target)?.map((n) => n.name)

  it("a Compute in the middle is a side exit", () => {
    expect(names("Scalar")).toEqual(["DRAM", "GLB", "Scalar"])
  })
  it("a Fork is entered only for its own compute", () => {
    expect(names("Side")).toEqual(["DRAM", "GLB", "SideBuf", "Side"])
    expect(names("MAC")).toEqual(["DRAM", "GLB", "PE", "Reg", "MAC"])
  })
  it("lists every compute unit", () => {
    expect(computeUnits(arch.nodes).map((c) => c.name)).toEqual(["Scalar", "Side", "MAC"])
  })
})
