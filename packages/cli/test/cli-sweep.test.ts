/**
 * End-to-end sweeps on this machine: the bundled example runs with the README's command and
 * writes its database next to the sweep file, and a second run searches nothing; a sweep
 * killed with SIGKILL partway resumes to the same results as an uninterrupted one, every point
 * once; failing points are recorded with their typed error and the sweep goes on; `results`
 * exports CSV and the JSON list. The databases are read with plain SQL (node:sqlite), as any
 * SQLite tool would.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { describe, expect, it } from "vitest"
import { DEFAULT_SHARD_LEASE_SECONDS } from "@effect-accelforge/sweep"
import { cli, cliWith, root } from "./run-cli.ts"
import { spawnCli, waitFor } from "./spawn-cli.ts"

const fixture = (name: string) => resolve(root, "packages/sweep/test/fixtures", name)

const query = <T>(db: string, sql: string): Array<T> => {
  const database = new DatabaseSync(db, { readOnly: true })
  try {
    return database.prepare(sql).all() as Array<T>
  } finally {
    database.close()
  }
}

interface PointRow {
  readonly point_key: string
  readonly status: string
  readonly energy: number | null
  readonly latency: number | null
  readonly record: string | null
  readonly error_tag: string | null
}

const points = (db: string) => query<PointRow>(db, "SELECT point_key, status, energy, latency, record, error_tag FROM points ORDER BY point_key")

const count = (db: string): number => {
  if (!existsSync(db)) return 0
  try {
    return query<{ n: number }>(db, "SELECT count(*) AS n FROM points")[0]!.n
  } catch {
    return 0 // not migrated yet
  }
}

describe("effect-accelforge sweep", () => {
  it("the bundled example runs with the README's command, writes its database, and a second run searches nothing", () => {
    const copy = mkdtempSync(join(tmpdir(), "accelforge-example-"))
    for (const folder of ["arches", "workloads", "sweeps"]) cpSync(resolve(root, "examples", folder), join(copy, "examples", folder), {
        recursive: true,
        // Only the sources: not a database or cache a local run left there.
        filter: (source) => !/\.sqlite|pmapping-cache/.test(source)
      })
    const first = cliWith({ cwd: copy, timeout: 600_000 }, "sweep", "examples/sweeps/systolic_tpu_like.yaml")
    expect(first.code).toBe(0)
    expect(first.out).toMatch(/^12 point\(s\): 0 recorded before, 12 searched now \(0 failed\); results in .*systolic_tpu_like\.sqlite/)
    expect(first.err.match(/^\[\s*\d+\/12\] done /gm)).toHaveLength(12)
    const db = join(copy, "examples/sweeps/systolic_tpu_like.sqlite")
    const rows = query<{ axes: string; status: string; energy: number }>(db, "SELECT axes, status, energy FROM points")
    expect(rows).toHaveLength(12)
    expect(new Set(rows.map((r) => r.axes)).size).toBe(12)
    for (const r of rows) {
      expect(r.status).toBe("done")
      expect(r.energy).toBeGreaterThan(0)
      expect(Object.keys(JSON.parse(r.axes))).toEqual(["SHARED_BUFFER_KB", "ARRAY_DIM", "TOKENS"])
    }
    // The axis rows answer GROUP BY questions directly.
    const perBuffer = query<{ value: string; n: number }>(db, "SELECT value, count(*) AS n FROM point_axes WHERE axis = 'SHARED_BUFFER_KB' GROUP BY value ORDER BY CAST(value AS REAL)")
    expect(perBuffer).toEqual([{ value: "1", n: 4 }, { value: "4", n: 4 }, { value: "16", n: 4 }])
    // The pmapping cache is on by default, next to the sweep file.
    expect(readdirSync(join(copy, "examples/sweeps/pmapping-cache")).length).toBeGreaterThan(0)

    const second = cliWith({ cwd: copy, timeout: 600_000 }, "sweep", "examples/sweeps/systolic_tpu_like.yaml")
    expect(second.code).toBe(0)
    expect(second.out).toMatch(/^12 point\(s\): 12 recorded before, 0 searched now \(0 failed\)/)
    expect(second.err).toBe("")
    expect(count(db)).toBe(12)
  }, 600_000)

  it("a sweep killed with SIGKILL partway resumes to the results of an uninterrupted sweep, each point recorded once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "accelforge-resume-"))
    const whole = join(dir, "whole.sqlite")
    const resumed = join(dir, "resumed.sqlite")
    expect(cliWith({ timeout: 300_000 }, "sweep", fixture("small.yaml"), "--db", whole, "--no-cache", "--jobs", "2", "--quiet").code).toBe(0)

    const killed = spawnCli(["sweep", fixture("small.yaml"), "--db", resumed, "--no-cache", "--jobs", "1"])
    await waitFor("the first recorded point", () => count(resumed) >= 1)
    killed.child.kill("SIGKILL")
    expect(await killed.exited).toBe("SIGKILL")
    const before = count(resumed)
    expect(before).toBeGreaterThanOrEqual(1)
    expect(before).toBeLessThan(8)

    const again = cliWith({ timeout: 300_000 }, "sweep", fixture("small.yaml"), "--db", resumed, "--no-cache", "--jobs", "2", "--quiet")
    expect(again.code).toBe(0)
    expect(again.out).toMatch(new RegExp(`^8 point\\(s\\): ${before} recorded before, ${8 - before} searched now \\(0 failed\\)`))
    const a = points(whole)
    const b = points(resumed)
    expect(b).toHaveLength(8)
    expect(new Set(b.map((r) => r.point_key)).size).toBe(8)
    expect(b).toEqual(a)
  }, 600_000)

  it("a point that fails is recorded with its typed error and the sweep goes on; results exports CSV and the JSON list", () => {
    const dir = mkdtempSync(join(tmpdir(), "accelforge-failing-"))
    const db = join(dir, "failing.sqlite")
    const r = cliWith({ timeout: 300_000 }, "sweep", fixture("failing.yaml"), "--db", db, "--no-cache", "--jobs", "2")
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^3 point\(s\): 0 recorded before, 3 searched now \(2 failed\)/)
    expect(r.err).toMatch(/failed arch\.nodes\.Scratchpad\.size=1 \+: EvaluationError in arch\.nodes\.Scratchpad\.size/)

    const json = join(dir, "points.json")
    const csv = join(dir, "points.csv")
    const listed = cli("results", db, "--json", json, "--csv", csv)
    expect(listed.code).toBe(0)
    expect(listed.out).toMatch(/3 point\(s\): 1 done, 2 failed/)
    const list = JSON.parse(readFileSync(json, "utf8")) as Array<Record<string, any>>
    expect(list.map((p) => [p.point, p.status])).toEqual([
      [{ WIDTH: 16 }, "done"],
      [{ "arch.nodes.Scratchpad.size": "1 +" }, "failed"],
      [{ "mapper.metrics": 64 }, "failed"]
    ])
    expect(list[0]!.energy).toBeGreaterThan(0)
    expect(list[0]!.latency).toBeGreaterThan(0)
    expect(list[0]!.record.energy).toBe(list[0]!.energy)
    // Off-chip bytes: the model's per-Einsum count, summed over the point's Einsums.
    expect(list[0]!.offChipBytes).toBeGreaterThan(0)
    expect(list[0]!.offChipBytes).toBe(list[0]!.record.einsums.reduce((s: number, e: { offChipBytes: number }) => s + e.offChipBytes, 0))
    expect(list[1]!.offChipBytes).toBeNull()
    expect(list[0]!.error).toBeUndefined()
    expect(list[1]!).toMatchObject({ errorTag: "EvaluationError", error: expect.stringMatching(/^EvaluationError in arch\.nodes\.Scratchpad\.size/) })
    expect(list[2]!).toMatchObject({ errorTag: "NoValidMappingError", error: expect.stringMatching(/no objective the mapper can minimize/) })
    expect(list[1]!.energy).toBeNull()
    const lines = readFileSync(csv, "utf8").trim().split("\n")
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(/^sweep,WIDTH,arch\.nodes\.Scratchpad\.size,mapper\.metrics,status,energy,/)

    // The sweep's report reads the list as it is.
    const report = cli("report", "--json-input", json, "--html", join(dir, "sweep.html"))
    expect(report.code).toBe(0)
    expect(report.out).toMatch(/^3 point\(s\): 1 done, 2 failed/)

    expect(cli("results", join(dir, "missing.sqlite"))).toMatchObject({ code: 1, err: expect.stringMatching(/^error: .*no results database at/) })
    // A file that is not SQLite: SQLite's own words, not only that opening failed.
    expect(cli("results", resolve(root, "README.md"))).toMatchObject({ code: 1, err: expect.stringMatching(/^error: ResultsStoreError \(.*README\.md\): SQLite open failed: file is not a database\n$/) })
  }, 300_000)

  it("a sweep whose cluster database cannot be reached: one typed line naming it, exit 1", () => {
    const r = cliWith({ timeout: 60_000 }, "sweep", fixture("small.yaml"), "--cluster", "postgres://nobody:secret@127.0.0.1:1/none")
    expect(r).toMatchObject({ code: 1, err: "error: ResultsStoreError (postgres://nobody:***@127.0.0.1:1/none): PgConnection: Failed to connect\n" })
  }, 60_000)

  it("a runner's --shard-lease must be a whole number of seconds and its --port a TCP port: one line, exit 1, before joining any cluster", () => {
    // The other refused values: packages/sweep/test/shard-lease.test.ts.
    const r = cli("runner", "--cluster", "postgres://nobody@127.0.0.1:1/none", "--shard-lease", "0")
    expect(r).toMatchObject({ code: 1, err: expect.stringMatching(/^error: .*--shard-lease must be a whole number of seconds, at least 1, got 0\n$/) })
    for (const port of ["0", "99999"]) {
      const bad = cli("runner", "--cluster", "postgres://nobody@127.0.0.1:1/none", "--port", port)
      expect(bad).toMatchObject({ code: 1, err: `error: EvaluationError in --port: --port must be a TCP port, 1 to 65535, got ${port}\n` })
    }
    // The help states the sweep package's default (the flags do not import it: start-up).
    expect(cli("runner", "--help").out.replace(/\s+/g, " ")).toContain(`(default ${DEFAULT_SHARD_LEASE_SECONDS}); give every runner the same`)
  }, 60_000)
})
