/**
 * A sweep on Effect Cluster, for real: a PostgreSQL server from the distribution's package,
 * two runner processes, and `sweep --cluster`. One runner is killed with SIGKILL while it is
 * searching a point; the other takes over its shards and that point's persisted message. Every
 * point lands in the results table exactly once, and no point is searched again once recorded;
 * `results` and `report` read the cluster's table as they read a SQLite file.
 * Skipped, with the reason, only where PostgreSQL cannot be installed.
 */
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { tableRows } from "./html-tables.ts"
import { root } from "./run-cli.ts"
import { postgresUnavailable, startPostgres } from "./postgres-server.ts"
import { type Spawned, spawnCli, waitFor } from "./spawn-cli.ts"

const unavailable = postgresUnavailable()
if (unavailable !== undefined) console.warn(`cluster sweep test skipped: ${unavailable}`)

const fixture = resolve(root, "packages/sweep/test/fixtures/cluster.yaml")
const SHARD_LEASE = 3

describe.skipIf(unavailable !== undefined)("effect-accelforge sweep --cluster", () => {
  it("two runners, one killed mid-point: every point recorded exactly once, none searched again after it was recorded", async () => {
    const pg = await startPostgres()
    // A short shard lease: the killed runner's shards (and its pending point) move to the
    // survivor after SHARD_LEASE s, not the default 30 s the test would mostly wait for.
    const runners = [34731, 34732].map((port) =>
      spawnCli([
        "runner", "--cluster", pg.url, "--host", "127.0.0.1", "--port", String(port), "--listen-host", "127.0.0.1", "--jobs", "2",
        "--shard-lease", String(SHARD_LEASE)
      ])
    )
    const names = ["runner 127.0.0.1:34731", "runner 127.0.0.1:34732"]
    // Every other command the test starts, killed at the end too: a coordinator left behind by a
    // failed assertion kept polling the stopped server for good.
    const others: Array<Spawned> = []
    const start = (args: ReadonlyArray<string>) => {
      const child = spawnCli(args)
      others.push(child)
      return child
    }
    try {
      await waitFor("both runners listening", () => runners.every((r) => /Listening on/.test(r.out() + r.err())))
      for (const r of runners) expect(r.err()).toContain(`shard lease ${SHARD_LEASE} s`)
      const sweep = start(["sweep", fixture, "--cluster", pg.url])
      // Points searched by `runner` and not recorded yet.
      const inFlight = (runner: string) =>
        pg.sql(`SELECT r.point_key FROM point_runs r WHERE r.computed_by = '${runner}'
          AND NOT EXISTS (SELECT 1 FROM points p WHERE p.point_key = r.point_key)`)
      const recorded = (runner: string) => Number(pg.sql(`SELECT count(*) FROM points WHERE computed_by = '${runner}'`)[0])
      // Whichever runner first has recorded a point and is searching another is killed (which
      // points go where depends on the shards each runner holds).
      let doomed = -1
      await waitFor("a runner mid-point after recording one", () => {
        doomed = names.findIndex((n) => recorded(n) >= 1 && inFlight(n).length > 0)
        return doomed >= 0
      })
      runners[doomed]!.child.kill("SIGKILL")
      expect(await runners[doomed]!.exited).toBe("SIGKILL")
      const survivor = names[1 - doomed]!

      expect(await sweep.exited).toBe(0)
      expect(sweep.out()).toMatch(/^8 point\(s\): 0 recorded before, 8 searched now \(0 failed\)/)

      const rows = pg.sql("SELECT point_key, status, computed_by FROM points ORDER BY point_key").map((l) => l.split("|"))
      expect(rows).toHaveLength(8)
      expect(new Set(rows.map((r) => r[0])).size).toBe(8)
      for (const [, status] of rows) expect(status).toBe("done")
      // The points the killed runner was searching were finished by the survivor.
      const interrupted = pg.sql(`SELECT r.point_key FROM point_runs r WHERE r.computed_by = '${names[doomed]}'
        AND NOT EXISTS (SELECT 1 FROM points p WHERE p.point_key = r.point_key AND p.computed_by = '${names[doomed]}')`)
      expect(interrupted.length).toBeGreaterThan(0)
      for (const key of interrupted) expect(rows.find((r) => r[0] === key)![2]).toBe(survivor)
      // Nothing was searched again once recorded: every run of a point started before its row was written.
      expect(pg.sql("SELECT count(*) FROM point_runs r JOIN points p USING (sweep, point_key) WHERE r.started_at > p.finished_at")).toEqual(["0"])
      // A second coordinator finds everything recorded and sends nothing.
      const again = start(["sweep", fixture, "--cluster", pg.url])
      expect(await again.exited).toBe(0)
      expect(again.out()).toMatch(/^8 point\(s\): 8 recorded before, 0 searched now/)
      expect(pg.sql("SELECT count(*) FROM points")).toEqual(["8"])
      // `results` reads the cluster's table as it reads a SQLite file.
      const listed = start(["results", pg.url, "--sweep", "cluster"])
      expect(await listed.exited).toBe(0)
      expect(listed.out()).toMatch(/8 point\(s\): 8 done, 0 failed/)
      // `report` draws the sweep from the cluster's table too; migration 0002 gave every point its off-chip bytes.
      const offChip = pg.sql("SELECT off_chip_bytes FROM points ORDER BY point_index, point_key").map(Number)
      expect(offChip.filter((b) => b > 0)).toHaveLength(8)
      const html = join(mkdtempSync(join(tmpdir(), "accelforge-cluster-report-")), "sweep.html")
      const report = start(["report", pg.url, "--sweep", "cluster", "--html", html])
      expect(await report.exited).toBe(0)
      // Energy vs latency, and energy and latency against each of TOKENS, WIDTH and metric.
      expect(report.out()).toMatch(/^8 point\(s\): 8 done, 0 failed; 7 chart\(s\)/)
      expect(tableRows(readFileSync(html, "utf8"), "points").map((r) => r.values.get("offChipBytes"))).toEqual(offChip)
    } finally {
      for (const r of [...runners, ...others]) r.child.kill("SIGKILL")
      await Promise.all([...runners, ...others].map((r) => r.exited))
      pg.stop()
    }
  }, 300_000)
})
