/**
 * End-to-end: `effect-accelforge evaluate` on the bundled example mapping.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { cli, example } from "./run-cli.ts"
const specArgs = [example("arches/two_level.yaml"), example("workloads/matmul_chain.yaml")]

describe("effect-accelforge evaluate", () => {
  it("prints totals and per-component rows, and writes the JSON record format", () => {
    const dir = mkdtempSync(join(tmpdir(), "accelforge-eval-"))
    const json = join(dir, "result.json")
    const r = cli("evaluate", ...specArgs, "--mapping", example("mappings/matmul_chain_two_level.yaml"), "--json", json)
    expect(r.err).toBe("")
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/energy\s+\d+/)
    expect(r.out).toMatch(/X1\s+MAC\s+1258290/) // 4194304 computes x 0.3 pJ
    const record = JSON.parse(readFileSync(json, "utf8")).mappings[0]
    const computeEnergy = record.energyBreakdown.filter((e: any) => e.action === "compute")
    expect(computeEnergy.every((e: any) => e.tensor === null)).toBe(true)
    const sum = record.energyBreakdown.reduce((s: number, e: any) => s + e.value, 0)
    expect(Math.abs(sum - record.energy) / record.energy).toBeLessThan(1e-9)
    expect(record.latencyBreakdown.length).toBeGreaterThan(0)
  })

  it("a mapping that does not fit is one clear error, exit 1", () => {
    const r = cli("evaluate", ...specArgs, "--mapping", example("mappings/matmul_chain_two_level.yaml"), "--set", "arch.nodes.Scratchpad.size=64")
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/^error: InvalidMappingError/)
    expect(r.err).toMatch(/capacity|exceed/i)
    expect(r.err).not.toMatch(/\n\s+at /)
  })

  it("a mapping naming an unknown component is rejected", () => {
    const dir = mkdtempSync(join(tmpdir(), "accelforge-eval-"))
    const bad = join(dir, "bad-mapping.yaml")
    writeFileSync(bad, readFileSync(example("mappings/matmul_chain_two_level.yaml"), "utf8").replaceAll("Scratchpad", "Scratchpd"))
    const r = cli("evaluate", ...specArgs, "--mapping", bad)
    expect(r.code).toBe(1)
    expect(r.err).toContain("Scratchpd")
  })
})
