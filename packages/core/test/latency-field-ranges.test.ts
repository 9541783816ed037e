/**
 * The fields a component's latency is computed from are range-checked when the component is
 * resolved (issue 17): a throughput scaled to zero made `n_calls / throughput` a 0 / 0 the search
 * failed on after `check` had passed, and a constant `total_latency` of nan gave nan latencies.
 * (An expression's nan is refused where the model evaluates it: test/hostile, nan-latency*.yaml.)
 */
import { Effect, Result } from "effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { resolve } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { resolveEinsum } from "../src/resolve/resolve-einsum.ts"
import { loadSpec } from "../src/service/load-spec.ts"

const dir = mkdtempSync(resolve(tmpdir(), "latency-ranges-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A one-memory arch whose MAC has `mac` among its fields and `compute` among its action's. */
const specWith = (mac: string, compute: string): string => {
  const file = resolve(dir, `spec-${Math.random().toString(36).slice(2)}.yaml`)
  writeFileSync(file, `arch:
  nodes:
  - !Memory {name: DRAM, size: inf, leak_power: 0, tensors: {keep: All}}
  - !Compute
    name: MAC
    leak_power: 0
    ${mac}
    actions:
    - {name: compute, energy: 1, throughput: 1, ${compute}}
workload:
  rank_sizes: {M: 4}
  bits_per_value: {All: 8}
  einsums:
  - {name: Copy, tensor_accesses: [{name: A, projection: [m]}, {name: B, projection: [m], output: true}]}
`)
  return file
}

/** The resolution's error message, or "" when it resolves. */
const resolveMessage = (mac: string, compute: string): string => {
  const loaded = Effect.runSync(loadSpec({ files: [specWith(mac, compute)], variables: {} }))
  const r = resolveEinsum(loaded, "Copy")
  return Result.isFailure(r) ? r.failure.message : ""
}

describe("latency fields are range-checked at resolve time", () => {
  it("a constant total_latency must be a number, zero or more", () => {
    expect(resolveMessage("total_latency: .nan", "")).toMatch(/MAC\.total_latency \(.*\): the value is nan/)
    expect(resolveMessage("total_latency: -1", "")).toMatch(/MAC\.total_latency \(.*\): the value is -1, but it must be zero or more/)
    expect(resolveMessage("total_latency: 5", "")).toBe("")
  })

  it("an action's throughput_scale must be more than zero (infinity allowed)", () => {
    expect(resolveMessage("", "throughput_scale: 0")).toMatch(/compute\.throughput_scale \(.*\): the value is 0, but it must be more than zero/)
    expect(resolveMessage("", "throughput_scale: .inf")).toBe("")
  })

  it("an action's latency_scale must be finite, zero or more (zero: no latency)", () => {
    expect(resolveMessage("", "latency_scale: -1")).toMatch(/compute\.latency_scale \(.*\): the value is -1, but it must be zero or more/)
    expect(resolveMessage("", "latency_scale: .inf")).toMatch(/compute\.latency_scale \(.*\): the value is inf, but it must be finite/)
    expect(resolveMessage("", "latency_scale: 0")).toBe("")
  })
})
