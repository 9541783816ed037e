/**
 * The results store's migrations: a store written before 0002 (only 0001 applied, a point
 * recorded with the columns it had) upgrades when it is opened: the column is added, the old
 * point reads back unchanged with no off-chip bytes, and new points keep theirs. The tables are
 * read with plain SQL (node:sqlite), as any SQLite tool would.
 */
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { describe, expect, it } from "vitest"
import { migrate, MIGRATIONS, MIGRATIONS_TABLE, nodeSqliteLayer, type PointOutcome, ResultsStore } from "../src/index.ts"

/** What a plain SQLite reader sees: the points' columns, the migrations applied and the off-chip bytes of each point. */
const inspect = (db: string) => {
  const database = new DatabaseSync(db, { readOnly: true })
  const columns = database.prepare("SELECT name FROM pragma_table_info('points')").all().map((c) => c["name"])
  const migrations = database.prepare(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY migration_id`).all().map((m) => m["name"])
  const offChip = columns.includes("off_chip_bytes") ? database.prepare("SELECT off_chip_bytes FROM points ORDER BY point_index").all().map((p) => p["off_chip_bytes"]) : []
  database.close()
  return { columns, migrations, offChip }
}

const sweep = { name: "old", file: "old.yaml", axisNames: ["BUFFER_KB"], points: [] }

const done = (energy: number, offChipBytes: number): PointOutcome => ({
  status: "done",
  energy,
  dynamicEnergy: energy,
  leakEnergy: 0,
  latency: 2,
  edp: 2 * energy,
  area: null,
  offChipBytes,
  errorTag: null,
  errorMessage: null,
  record: null,
  stats: null,
  templates: 1,
  evaluated: 1,
  valid: 1,
  paretoOptimal: 1,
  wallTimeMs: 10,
  computedBy: "test"
})

/** A store as the first release wrote it: 0001 only, one point in its columns. */
const oldStore = (db: string) =>
  Effect.runPromise(Effect.gen(function*() {
    yield* migrate({ "0001_create_results": MIGRATIONS["0001_create_results"]! })
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO sweeps ${sql.insert({ name: "old", file: "old.yaml", axes: "[\"BUFFER_KB\"]", points: 2, created_at: "2026-01-01T00:00:00Z" })}`
    yield* sql`INSERT INTO points ${
      sql.insert({
        sweep: "old", point_key: "a", point_index: 0, axes: "{\"BUFFER_KB\":32}", status: "done", energy: 5, dynamic_energy: 5, leak_energy: 0,
        latency: 2, edp: 10, area: null, error_tag: null, error_message: null, record: null, stats: null, templates: 1, evaluated: 1, valid: 1,
        pareto_optimal: 1, wall_time_ms: 10, computed_by: "test", finished_at: "2026-01-01T00:00:00Z"
      })
    }`
  }).pipe(Effect.provide(nodeSqliteLayer(db))))

const withStore = <A>(db: string, f: (store: ResultsStore["Service"]) => Effect.Effect<A, unknown>) =>
  Effect.runPromise(Effect.gen(function*() {
    return yield* f(yield* ResultsStore)
  }).pipe(Effect.provide(ResultsStore.sqlite(db))))

describe("results store migrations", () => {
  it("a store from before 0002 upgrades on open: old points read back without off-chip bytes, new points keep theirs", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "accelforge-store-")), "old.sqlite")
    await oldStore(db)
    expect(inspect(db)).toEqual({ columns: expect.not.arrayContaining(["off_chip_bytes"]), migrations: ["create_results"], offChip: [] })

    const listed = await withStore(db, (store) =>
      Effect.gen(function*() {
        yield* store.openSweep(sweep)
        yield* store.record("old", { point: { key: "b", axes: { BUFFER_KB: 64 } }, index: 1, outcome: done(4, 4096) })
        return yield* store.list("old")
      }))
    expect(listed.map((p) => [p.pointKey, p.outcome.energy, p.outcome.offChipBytes])).toEqual([["a", 5, null], ["b", 4, 4096]])
    const upgraded = inspect(db)
    expect(upgraded.columns).toContain("off_chip_bytes")
    expect(upgraded).toMatchObject({ migrations: ["create_results", "off_chip_bytes"], offChip: [null, 4096] })

    // Opening it again changes nothing.
    expect((await withStore(db, (store) => store.list())).map((p) => p.outcome)).toEqual(listed.map((p) => p.outcome))
    expect(inspect(db)).toEqual(upgraded)
  })
})
