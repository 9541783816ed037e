/**
 * `run --cache DIR`: the first run searches and writes every Einsum's table, the second reads
 * them all and prints the same mapping and numbers (0 rows evaluated); `--cache` with
 * `--no-cache` is one clear error.
 */
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { cli, example } from "./run-cli.ts"

const specArgs = [example("arches/two_level.yaml"), example("workloads/matmul_chain.yaml"), "-D", "LAYERS=2", "-D", "TOKENS=32", "-D", "WIDTH=16", "--jobs", "1"]

describe("effect-accelforge run --cache", () => {
  it("a second run reads every table from the cache and finds the same mapping", () => {
    const dir = mkdtempSync(join(tmpdir(), "accelforge-run-cache-"))
    const cache = join(dir, "cache")
    const first = cli("run", ...specArgs, "--cache", cache, "--json", join(dir, "first.json"))
    expect(first.code).toBe(0)
    expect(first.err).toBe(`pmapping cache ${cache}: 0 table(s) read, 2 searched\n`)
    const second = cli("run", ...specArgs, "--cache", cache, "--json", join(dir, "second.json"))
    expect(second.code).toBe(0)
    expect(second.err).toBe(`pmapping cache ${cache}: 2 table(s) read, 0 searched\n`)
    const [a, b] = ["first", "second"].map((n) => JSON.parse(readFileSync(join(dir, `${n}.json`), "utf8")))
    expect(b.mappings).toEqual(a.mappings)
    expect(b.stats.einsums.map((e: { evaluated: number }) => e.evaluated)).toEqual([0, 0])
    expect(b.stats.einsums.map((e: { paretoOptimal: number }) => e.paretoOptimal)).toEqual(a.stats.einsums.map((e: { paretoOptimal: number }) => e.paretoOptimal))
    // Without the flag, no cache line (and no cache).
    expect(cli("run", ...specArgs).err).toBe("")
  }, 120_000)

  it("--cache with --no-cache is one clear error", () => {
    const r = cli("run", ...specArgs, "--cache", "somewhere", "--no-cache")
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/^error: .*give --cache DIR or --no-cache, not both/)
  })
})
