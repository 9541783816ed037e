/**
 * The results store's tables, created and evolved by versioned migrations (effect/sql's
 * Migrator records each one in `accelforge_migrations`). The SQL is the subset SQLite and
 * PostgreSQL share, so the same migrations build the embedded store and a cluster's.
 *
 * - `sweeps`: one row per sweep (its name, file, axis names and point count).
 * - `points`: one row per finished point: its axis values (JSON), status, totals, error,
 *   the JSON record and stats, the summed search counters, who computed it and when.
 * - `point_axes`: the same axis values one row per (point, axis), for joins and GROUP BY.
 * - `point_runs`: one row each time a process starts computing a point (a cluster runner that
 *   dies mid-point leaves a run without a result; the point's row is still written once).
 *
 * 0002 adds `points.off_chip_bytes` (bytes across the outermost memory, for the ski-slope).
 * Points recorded before it keep NULL there: the stored record lacks the bits per value and
 * values per action the model needs to count them, so only a new search can fill it.
 */
import { Effect } from "effect"
import { Migrator, SqlClient } from "effect/sql"

const createResults = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE sweeps (
    name TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    axes TEXT NOT NULL,
    points INTEGER NOT NULL,
    created_at TEXT NOT NULL
  )`
  yield* sql`CREATE TABLE points (
    sweep TEXT NOT NULL REFERENCES sweeps (name),
    point_key TEXT NOT NULL,
    point_index INTEGER NOT NULL,
    axes TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('done', 'failed')),
    energy DOUBLE PRECISION,
    dynamic_energy DOUBLE PRECISION,
    leak_energy DOUBLE PRECISION,
    latency DOUBLE PRECISION,
    edp DOUBLE PRECISION,
    area DOUBLE PRECISION,
    error_tag TEXT,
    error_message TEXT,
    record TEXT,
    stats TEXT,
    templates DOUBLE PRECISION NOT NULL,
    evaluated DOUBLE PRECISION NOT NULL,
    valid DOUBLE PRECISION NOT NULL,
    pareto_optimal DOUBLE PRECISION NOT NULL,
    wall_time_ms DOUBLE PRECISION NOT NULL,
    computed_by TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    PRIMARY KEY (sweep, point_key)
  )`
  yield* sql`CREATE TABLE point_axes (
    sweep TEXT NOT NULL,
    point_key TEXT NOT NULL,
    axis TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (sweep, point_key, axis),
    FOREIGN KEY (sweep, point_key) REFERENCES points (sweep, point_key)
  )`
  yield* sql`CREATE TABLE point_runs (
    sweep TEXT NOT NULL,
    point_key TEXT NOT NULL,
    computed_by TEXT NOT NULL,
    started_at TEXT NOT NULL
  )`
})

const addOffChipBytes = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE points ADD COLUMN off_chip_bytes DOUBLE PRECISION`
})

export const MIGRATIONS_TABLE = "accelforge_migrations"

/** Every migration by its versioned name, oldest first. */
export const MIGRATIONS: Readonly<Record<string, Effect.Effect<void, unknown, SqlClient.SqlClient>>> = {
  "0001_create_results": createResults,
  "0002_off_chip_bytes": addOffChipBytes
}

/** Bring the database to the version of the `migrations` given (by default, the latest; a no-op when it is there). */
export const migrate = (migrations: typeof MIGRATIONS = MIGRATIONS) =>
  Migrator.make({})({ table: MIGRATIONS_TABLE, loader: Migrator.fromRecord(migrations) })
