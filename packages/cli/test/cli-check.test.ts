/**
 * End-to-end: the `effect-accelforge` binary as a user runs it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { cli, example } from "./run-cli.ts"

describe("effect-accelforge check", () => {
  it("summarises a bundled example and exits 0", () => {
    const r = cli("check", example("arches/two_level.yaml"), example("workloads/matmul_chain.yaml"), "-D", "LAYERS=2")
    expect(r.err).toBe("")
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/X1\s+X0, W0 -> X1\s+t=256 d0=128 d1=128\s+4194304\s+MAC/)
    expect(r.out).toMatch(/Scratchpad\s+Memory\s+2097152/)
    expect(r.out).toContain("OK: the spec is valid.")
  })

  it("applies --set overrides and writes --json", () => {
    const dir = mkdtempSync(join(tmpdir(), "accelforge-cli-"))
    const json = join(dir, "summary.json")
    const r = cli(
      "check", example("arches/two_level.yaml"), example("workloads/matmul_chain.yaml"),
      "--set", "arch.nodes.Scratchpad.size=4096", "--set", "mapper.max_fused_loops=1", "--json", json
    )
    expect(r.code).toBe(0)
    const summary = JSON.parse(readFileSync(json, "utf8"))
    expect(summary.arch.find((n: any) => n.name === "Scratchpad").size).toBe(4096)
    expect(summary.einsums.map((e: any) => e.name)).toEqual(["X1", "X2", "X3"])
    expect(summary.tensors.find((t: any) => t.name === "X1").bits).toBe(256 * 128 * 8)
  })

  it("runs the TPU-like arch with the transformer block: matrix Einsums on the array, softmax on the vector unit", () => {
    const r = cli("check", example("arches/systolic_tpu_like.yaml"), example("workloads/transformer_block.yaml"), "-D", "TOKENS=128")
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/\nA\s+S -> A\s+.*VectorUnit/)
    expect(r.out).toMatch(/\nS\s+Q, K -> S\s+.*MAC/)
  })

  it("a bad expression prints one clear message with the field and line, and exits 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "accelforge-cli-"))
    const bad = join(dir, "bad.yaml")
    writeFileSync(bad, readFileSync(example("arches/two_level.yaml"), "utf8").replace("size: inf", "size: infinite_memory"))
    const r = cli("check", bad, example("workloads/matmul_chain.yaml"))
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/^error: EvaluationError in arch\.nodes\.DRAM\.size \(.*bad\.yaml:\d+:\d+\): .*infinite_memory/)
    expect(r.err).not.toMatch(/\n\s+at /) // no stack trace
  })

  it("a missing file and a YAML syntax error are reported with their position", () => {
    const missing = cli("check", "no/such/file.yaml")
    expect(missing.code).toBe(1)
    expect(missing.err).toMatch(/^error: .*no\/such\/file\.yaml.*not found/i)
    const dir = mkdtempSync(join(tmpdir(), "accelforge-cli-"))
    const bad = join(dir, "syntax.yaml")
    writeFileSync(bad, "arch:\n  nodes: [\n")
    const r = cli("check", bad)
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/^error: .*syntax\.yaml:\d+:\d+: /)
  })

  it("a bad -D or --set is a clear error", () => {
    const r = cli("check", example("arches/two_level.yaml"), "--set", "arch.nodes.NoSuchNode.size=1")
    expect(r.code).toBe(1)
    expect(r.err).toContain("no list element 'NoSuchNode'")
  })
})
