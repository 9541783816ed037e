/**
 * End-to-end: `--svg FILE` on `run` and `evaluate` writes the mapping's LoopTree as an SVG; a
 * file that cannot be written is one `error:` line, exit 1.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { cli, example } from "./run-cli.ts"

const specArgs = [example("arches/two_level.yaml"), example("workloads/matmul_chain.yaml")]

describe("--svg", () => {
  it("run writes the chosen mapping's SVG", () => {
    const dir = mkdtempSync(join(tmpdir(), "accelforge-svg-"))
    const file = join(dir, "out.svg")
    const r = cli("run", ...specArgs, "-D", "LAYERS=2", "--jobs", "1", "--svg", file)
    expect(r.err).toBe("")
    expect(r.code).toBe(0)
    expect(existsSync(file)).toBe(true)
    const svg = readFileSync(file, "utf8")
    expect(svg.startsWith("<svg")).toBe(true)
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true)
    expect(svg).toContain("Einsum X1")
    expect(svg).toContain("Einsum X2")
  }, 60_000)

  it("evaluate writes the evaluated mapping's SVG", () => {
    const dir = mkdtempSync(join(tmpdir(), "accelforge-svg-"))
    const file = join(dir, "eval.svg")
    const r = cli("evaluate", ...specArgs, "--mapping", example("mappings/matmul_chain_two_level.yaml"), "--svg", file)
    expect(r.err).toBe("")
    expect(r.code).toBe(0)
    const svg = readFileSync(file, "utf8")
    expect(svg.startsWith("<svg")).toBe(true)
    expect(svg).toContain("Einsum X1")
  }, 60_000)

  it("a file that cannot be written is one error line, exit 1", () => {
    const file = join(mkdtempSync(join(tmpdir(), "accelforge-svg-")), "missing", "out.svg")
    const r = cli("evaluate", ...specArgs, "--mapping", example("mappings/matmul_chain_two_level.yaml"), "--svg", file)
    expect(r.code).toBe(1)
    expect(r.err.trim().split("\n")).toHaveLength(1)
    expect(r.err).toMatch(/^error: .*--svg.*cannot write/)
  }, 60_000)
})
