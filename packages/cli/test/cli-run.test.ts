/**
 * End-to-end: `effect-accelforge run` searches, prints the model's numbers, the counters and
 * the mapping, and writes the JSON record with search stats.
 */
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { cli, example } from "./run-cli.ts"

const specArgs = [example("arches/two_level.yaml"), example("workloads/matmul_chain.yaml"), "-D", "LAYERS=2"]

describe("effect-accelforge run", () => {
  it("prints the best mapping's totals, the search counters and the LoopTree; --json has the record and stats", () => {
    const dir = mkdtempSync(join(tmpdir(), "accelforge-run-"))
    const json = join(dir, "run.json")
    const r = cli("run", ...specArgs, "--jobs", "1", "--json", json)
    expect(r.err).toBe("")
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^Best fused mapping for energy/)
    expect(r.out).toMatch(/Einsum\s+templates\s+total\s+valid\s+evaluated\s+Pareto-optimal/)
    expect(r.out).toMatch(/Compute MAC \(Einsum X1\)/)
    expect(r.out).toMatch(/Compute MAC \(Einsum X2\)/)
    const file = JSON.parse(readFileSync(json, "utf8"))
    const record = file.mappings[0]
    expect(record.energy).toBeGreaterThan(0)
    expect(file.stats.metric).toBe("energy")
    expect(file.stats.jobs).toBe(1)
    expect(file.stats.searchThreads).toBe(1)
    expect(file.stats.einsums.map((e: any) => e.einsum)).toEqual(["X1", "X2"])
    for (const e of file.stats.einsums) {
      expect(e.total).toBeGreaterThanOrEqual(e.paretoOptimal)
      expect(e.paretoOptimal).toBeGreaterThan(0)
    }
    // The printed numbers are the model's: the mapper's own sum agrees.
    expect(Math.abs(file.stats.objectives.energy - record.energy) / record.energy).toBeLessThan(1e-9)
  }, 60_000)

  it("--metric latency optimizes latency; two threads find what one finds", () => {
    const one = cli("run", ...specArgs, "--metric", "latency", "--jobs", "1")
    const two = cli("run", ...specArgs, "--metric", "latency", "--jobs", "2")
    expect(one.code).toBe(0)
    expect(one.out).toMatch(/^Best fused mapping for latency/)
    const latency = (out: string) => out.match(/^latency\s+(\S+)/m)?.[1]
    expect(latency(two.out)).toBe(latency(one.out))
    expect(one.out).toMatch(/found in [\d.]+ s on 1 thread\(s\)/)
    // A search this small ends before a worker would pay for itself: it says so.
    expect(two.out).toMatch(/found in [\d.]+ s on 1 of 2 thread\(s\)/)
  }, 60_000)

  it("an unknown metric, a bad --jobs and a spec error are one line each, exit 1", () => {
    const metric = cli("run", ...specArgs, "--metric", "speed")
    expect(metric.code).toBe(1)
    expect(metric.err.trim()).toMatch(/^error: .*unknown metric 'speed'/)
    const jobs = cli("run", ...specArgs, "--jobs", "0")
    expect(jobs.code).toBe(1)
    expect(jobs.err.trim()).toMatch(/^error: .*--jobs must be a positive integer/)
    const spec = cli("run", example("arches/two_level.yaml"), example("workloads/matmul_chain.yaml"), "--set", "arch.nodes.DRAM.size=oops")
    expect(spec.code).toBe(1)
    expect(spec.err.trim().split("\n")).toHaveLength(1)
    expect(spec.err).toMatch(/^error: /)
  }, 60_000)

  it("a search that cannot fit says which Einsum and why: which rule ruled out how many sampled tile shapes, naming the memory", () => {
    const r = cli("run", ...specArgs, "--set", "arch.nodes.Scratchpad.size=1", "--set", "arch.nodes.Scratchpad.tensors.keep=All", "--jobs", "1")
    expect(r.code).toBe(1)
    expect(r.err.trim().split("\n")).toHaveLength(1)
    expect(r.err).toMatch(/^error: NoValidMappingError \(Einsum X1\): no valid pmapping among \d+ templates; of (\d+) tile shapes sampled across them, each rule ruled out: /)
    // Every sampled shape needs more than one bit of the one-bit Scratchpad.
    const sampled = r.err.match(/of (\d+) tile shapes/)![1]
    expect(r.err).toContain(`capacity ${sampled} (e.g. Scratchpad holds `)
    expect(r.err).toMatch(/Scratchpad holds \d+ bits, size 1\)/)
  }, 60_000)
})
