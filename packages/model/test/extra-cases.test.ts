/**
 * The public model-only cases of AccelForge's unit tests (`extra_cases_public.json`, kinds
 * `evaluate_mapping` and `calculate_component_costs`), reproduced within 1%, zeros exact.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { componentCosts, evaluateMapping, groupEntries, InvalidMappingError } from "../src/index.ts"
import { af, close, evaluateOk, HAS_SHARED, load, loadMapping } from "./reference.ts"

interface Case {
  readonly id: string
  readonly kind: string
  readonly inputs: {
    readonly arch?: string
    readonly workload?: string
    readonly mapping?: string
    readonly jinja?: Record<string, unknown>
    readonly arch_override?: Record<string, unknown>
  }
  readonly expect: Record<string, unknown>
}

const cases = (): ReadonlyArray<Case> =>
  (JSON.parse(readFileSync(af("expected/extra_cases_public.json"), "utf8")) as { cases: ReadonlyArray<Case> }).cases

const caseById = (id: string): Case => cases().find((c) => c.id === id)!

/** `arch_override: {"MainMemory.bits_per_value": {...}}` as `--set` overrides. */
const overridesOf = (c: Case): Array<string> =>
  Object.entries(c.inputs.arch_override ?? {}).map(([path, value]) => {
    const [node, ...field] = path.split(".")
    return `arch.nodes.${node}.${field.join(".")}=${JSON.stringify(value)}`
  })

const run = async (c: Case) => {
  const vars = c.inputs.jinja ?? {}
  const loaded = await load([af(c.inputs.arch!), af(c.inputs.workload!)], vars, overridesOf(c))
  return evaluateMapping(loaded, await loadMapping(af(c.inputs.mapping!), vars))
}

/** Expected "(component,tensor)" entries against energy per (component, tensor). */
const checkEnergyPerTensor = async (c: Case) => {
  const r = await run(c)
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  const energy = groupEntries(r.success.energyBreakdown, { component: true, tensor: true })
  for (const [key, want] of Object.entries(c.expect)) {
    if (key === "query") continue
    const [component, tensor] = key.slice(1, -1).split(",")
    expect(close(energy.get(`${component}|${tensor}`), want as number), `${key}: ${energy.get(`${component}|${tensor}`)} vs ${want}`).toBe(true)
  }
}

/** "Matmul0<SEP>action<SEP>MacArray<SEP>T0<SEP>hop" and friends against our result. */
const checkColumns = async (c: Case) => {
  const r = await run(c)
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  const res = r.success
  const actions = groupEntries(res.actions, { einsum: true, component: true, tensor: true, action: true })
  const latency = new Map(res.latencyBreakdown.map((l) => [`${l.einsum}|${l.component}`, l.value]))
  for (const [column, want] of Object.entries(c.expect)) {
    const parts = column.split("<SEP>")
    const got = parts[0] === "Total" && parts[1] === "latency"
      ? res.latency
      : parts[1] === "action"
      ? actions.get([parts[0], parts[2], parts[3], parts[4]].join("|"))
      : parts[1] === "latency"
      ? latency.get(`${parts[0]}|${parts[2]}`)
      : undefined
    expect(close(got, want as number), `${column}: got ${got}, want ${want}`).toBe(true)
  }
}

describe.skipIf(!HAS_SHARED)("extra_cases_public.json: evaluate_mapping", () => {
  it("lists the cases this suite covers", () => {
    const ids = cases().filter((c) => c.kind === "evaluate_mapping" || c.kind === "calculate_component_costs").map((c) => c.id)
    expect(ids).toEqual([
      "test_model.one_matmul",
      "test_model.bits_per_value_directly_sets",
      "test_model.invalid_mapping",
      "network.hierarchical_1d",
      "network.flat",
      "api_gaps.totals",
      "api_gaps.latency_to_throughput",
      "api_gaps.fanout_area"
    ])
  })

  it("test_model.one_matmul", () => checkEnergyPerTensor(caseById("test_model.one_matmul")))

  it("test_model.bits_per_value_directly_sets", () => checkEnergyPerTensor(caseById("test_model.bits_per_value_directly_sets")))

  it("test_model.invalid_mapping raises InvalidMappingError for the missing m loop", async () => {
    const r = await run(caseById("test_model.invalid_mapping"))
    expect(Result.isFailure(r)).toBe(true)
    const error = Result.isFailure(r) ? r.failure : undefined
    expect(error).toBeInstanceOf(InvalidMappingError)
    expect(error?.message).toMatch(/tile_shape 1 for rank variable m\b/)
    expect(error?.message).toMatch(/invalid_matmul_to_simple\.yaml:\d+/)
  })

  it("network.hierarchical_1d", () => checkColumns(caseById("network.hierarchical_1d")))

  // Uses AccelForge's experimental !Array with distributed buffers (see src/mapping/arrays.ts).
  it("network.flat", () => checkColumns(caseById("network.flat")))
})

/** The inline descriptions of the api_gaps cases, written out as spec files. */
const inlineSpecs = {
  totals: `
arch:
  nodes:
  - !Memory
    name: MainMemory
    size: inf
    leak_power: 0.5
    area: 100
    tensors: {keep: All}
    actions:
    - {name: read, energy: 1, latency: 0}
    - {name: write, energy: 1, latency: 0}
  - !Compute
    name: MAC
    leak_power: 0.1
    area: 10
    actions:
    - {name: compute, energy: 1, latency: 1}
workload:
  rank_sizes: {M: 16}
  bits_per_value: {All: 8}
  einsums:
  - B[m] = A[m]
`,
  latencyToThroughput: `
arch:
  nodes:
  - !Memory
    name: MainMemory
    size: inf
    leak_power: 0
    area: 0
    actions:
    - {name: read, energy: 2.0, latency: 10}
    - {name: write, energy: 3.0, latency: 15}
  - !Compute
    name: MAC
    leak_power: 0
    area: 0
    actions:
    - {name: compute, energy: 0.5, latency: 1}
workload:
  rank_sizes: {M: 16}
  bits_per_value: {All: 8}
  einsums:
  - B[m] = A[m]
`,
  fanoutArea: `
arch:
  nodes:
  - !Memory
    name: MainMemory
    size: inf
    leak_power: 0
    area: 0
    actions:
    - {name: read, energy: 0, throughput: inf}
    - {name: write, energy: 0, throughput: inf}
  - !Container
    name: Array
    spatial: [{name: X, fanout: 4}]
  - !Compute
    name: MAC
    leak_power: 0
    area: 10
    actions:
    - {name: compute, energy: 0, throughput: 1}
workload:
  rank_sizes: {M: 16}
  bits_per_value: {All: 8}
  einsums:
  - B[m] = A[m]
`
}

const costsOfInline = async (yaml: string) => {
  const file = join(mkdtempSync(join(tmpdir(), "accelforge-costs-")), "spec.yaml")
  writeFileSync(file, yaml)
  const r = componentCosts(await load([file]))
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}

describe.skipIf(!HAS_SHARED)("extra_cases_public.json: calculate_component_costs", () => {
  it("api_gaps.totals", async () => {
    const want = caseById("api_gaps.totals").expect as {
      per_component_total_area: Record<string, number>
      total_area: number
      per_component_total_leak_power: Record<string, number>
      total_leak_power: number
    }
    const costs = await costsOfInline(inlineSpecs.totals)
    expect(Object.fromEntries(costs.components.map((c) => [c.name, c.totalArea]))).toEqual(want.per_component_total_area)
    expect(costs.totalArea).toBeCloseTo(want.total_area, 9)
    const leak = Object.fromEntries(costs.components.map((c) => [c.name, c.totalLeakPower]))
    for (const [name, value] of Object.entries(want.per_component_total_leak_power)) expect(leak[name]).toBeCloseTo(value, 9)
    expect(costs.totalLeakPower).toBeCloseTo(want.total_leak_power, 9)
  })

  it("api_gaps.latency_to_throughput", async () => {
    const want = caseById("api_gaps.latency_to_throughput").expect
    const costs = await costsOfInline(inlineSpecs.latencyToThroughput)
    const read = costs.components.find((c) => c.name === "MainMemory")!.actions.find((a) => a.name === "read")!
    expect(read.energy).toBe(want["MainMemory.read.energy"])
    expect(read.throughput).toBeCloseTo(want["MainMemory.read.throughput"] as number, 12)
  })

  it("api_gaps.fanout_area", async () => {
    const costs = await costsOfInline(inlineSpecs.fanoutArea)
    expect(costs.components.find((c) => c.name === "MAC")!.totalArea).toBe(caseById("api_gaps.fanout_area").expect["MAC.total_area"])
  })
})
