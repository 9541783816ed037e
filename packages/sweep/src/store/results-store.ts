/**
 * The ResultsStore service: sweep points and their outcomes in SQL tables (see migrations.ts).
 * Embedded SQLite by default; the same store on PostgreSQL for a cluster. A point is recorded
 * in one transaction (its row and its axis rows, or nothing), and at most once: a second
 * record of the same point is ignored, so a resumed or redelivered point never duplicates.
 */
import { existsSync } from "node:fs"
import { Array as Arr, Context, Effect, Layer, Redacted, type Scope } from "effect"
import { Reactivity } from "effect/reactivity"
import { SqlClient, type SqlError } from "effect/sql"
import { PgClient } from "@effect/sql-pg"
import { ResultsStoreError } from "../errors.ts"
import type { PointOutcome } from "../point-outcome.ts"
import type { Sweep, SweepPoint } from "../sweep-file.ts"
import { migrate } from "./migrations.ts"
import { makeNodeSqliteClient } from "./node-sqlite-client.ts"

/** A recorded point as stored. */
export interface StoredPoint {
  readonly sweep: string
  readonly pointKey: string
  readonly pointIndex: number
  readonly axes: Readonly<Record<string, unknown>>
  readonly outcome: PointOutcome
  readonly finishedAt: string
}

export interface RecordedPoint {
  readonly point: Pick<SweepPoint, "key" | "axes">
  readonly index: number
  readonly outcome: PointOutcome
}

type Row = Record<string, unknown>

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

const storedOf = (r: Row): StoredPoint => ({
  sweep: String(r.sweep),
  pointKey: String(r.point_key),
  pointIndex: Number(r.point_index),
  axes: JSON.parse(String(r.axes)) as Record<string, unknown>,
  finishedAt: String(r.finished_at),
  outcome: {
    status: r.status === "done" ? "done" : "failed",
    energy: num(r.energy),
    dynamicEnergy: num(r.dynamic_energy),
    leakEnergy: num(r.leak_energy),
    latency: num(r.latency),
    edp: num(r.edp),
    area: num(r.area),
    offChipBytes: num(r.off_chip_bytes),
    errorTag: r.error_tag === null ? null : String(r.error_tag),
    errorMessage: r.error_message === null ? null : String(r.error_message),
    record: r.record === null ? null : String(r.record),
    stats: r.stats === null ? null : String(r.stats),
    templates: Number(r.templates),
    evaluated: Number(r.evaluated),
    valid: Number(r.valid),
    paretoOptimal: Number(r.pareto_optimal),
    wallTimeMs: Number(r.wall_time_ms),
    computedBy: String(r.computed_by)
  }
})

const pointRow = (sweep: string, p: RecordedPoint) => {
  const o = p.outcome
  return {
    sweep,
    point_key: p.point.key,
    point_index: p.index,
    axes: JSON.stringify(p.point.axes),
    status: o.status,
    energy: o.energy,
    dynamic_energy: o.dynamicEnergy,
    leak_energy: o.leakEnergy,
    latency: o.latency,
    edp: o.edp,
    area: o.area,
    off_chip_bytes: o.offChipBytes,
    error_tag: o.errorTag,
    error_message: o.errorMessage,
    record: o.record,
    stats: o.stats,
    templates: o.templates,
    evaluated: o.evaluated,
    valid: o.valid,
    pareto_optimal: o.paretoOptimal,
    wall_time_ms: o.wallTimeMs,
    computed_by: o.computedBy,
    finished_at: new Date().toISOString()
  }
}

export class ResultsStore extends Context.Service<ResultsStore, {
  /** Where the results live (a file or a redacted URL), for messages. */
  readonly database: string
  /** Register the sweep (kept as first registered). */
  readonly openSweep: (sweep: Sweep) => Effect.Effect<void, ResultsStoreError>
  /** Keys of the points of `sweep` already recorded. */
  readonly recordedKeys: (sweep: string) => Effect.Effect<ReadonlySet<string>, ResultsStoreError>
  /** The recorded point, if any. */
  readonly find: (sweep: string, pointKey: string) => Effect.Effect<StoredPoint | undefined, ResultsStoreError>
  /** Record one point atomically; false when it was already recorded (nothing changes then). */
  readonly record: (sweep: string, point: RecordedPoint) => Effect.Effect<boolean, ResultsStoreError>
  /** Note that a process started computing a point. */
  readonly noteRun: (sweep: string, pointKey: string, computedBy: string) => Effect.Effect<void, ResultsStoreError>
  /** Every recorded point (of one sweep, or of all), in sweep then point order. */
  readonly list: (sweep?: string) => Effect.Effect<ReadonlyArray<StoredPoint>, ResultsStoreError>
}>()("effect-accelforge/sweep/ResultsStore") {
  /** On the SqlClient provided (migrated on start). */
  static readonly layerWithoutDependencies = (database: string) =>
    Layer.effect(ResultsStore, Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const storeError = (e: SqlError.SqlError | { readonly message: string }) =>
        new ResultsStoreError({ database, reason: e.message })
      yield* migrate().pipe(Effect.mapError(storeError))
      const guard = <A>(effect: Effect.Effect<A, SqlError.SqlError>) => Effect.mapError(effect, storeError)
      return ResultsStore.of({
        database,
        openSweep: (sweep) =>
          guard(sql`INSERT INTO sweeps ${
            sql.insert({ name: sweep.name, file: sweep.file, axes: JSON.stringify(sweep.axisNames), points: sweep.points.length, created_at: new Date().toISOString() })
          } ON CONFLICT (name) DO NOTHING`.pipe(Effect.asVoid)),
        recordedKeys: (sweep) =>
          guard(sql<{ point_key: string }>`SELECT point_key FROM points WHERE sweep = ${sweep}`).pipe(
            Effect.map((rows) => new Set(rows.map((r) => r.point_key)))
          ),
        find: (sweep, pointKey) =>
          guard(sql<Row>`SELECT * FROM points WHERE sweep = ${sweep} AND point_key = ${pointKey}`).pipe(
            Effect.map((rows) => (rows[0] === undefined ? undefined : storedOf(rows[0])))
          ),
        record: (sweep, point) =>
          guard(sql.withTransaction(Effect.gen(function*() {
            const inserted = yield* sql`INSERT INTO points ${sql.insert(pointRow(sweep, point))}
              ON CONFLICT (sweep, point_key) DO NOTHING RETURNING point_key`
            if (inserted.length === 0) return false
            const axes = Object.entries(point.point.axes).map(([axis, value]) => ({ sweep, point_key: point.point.key, axis, value: JSON.stringify(value) }))
            if (Arr.isArrayNonEmpty(axes)) yield* sql`INSERT INTO point_axes ${sql.insert(axes)}`
            return true
          }))),
        noteRun: (sweep, pointKey, computedBy) =>
          guard(sql`INSERT INTO point_runs ${sql.insert({ sweep, point_key: pointKey, computed_by: computedBy, started_at: new Date().toISOString() })}`.pipe(Effect.asVoid)),
        list: (sweep) =>
          guard(
            sweep === undefined
              ? sql<Row>`SELECT * FROM points ORDER BY sweep, point_index, point_key`
              : sql<Row>`SELECT * FROM points WHERE sweep = ${sweep} ORDER BY point_index, point_key`
          ).pipe(Effect.map((rows) => rows.map(storedOf)))
      })
    }))

  /** Embedded: a SQLite file (created when missing). */
  static readonly sqlite = (file: string): Layer.Layer<ResultsStore, ResultsStoreError> =>
    ResultsStore.layerWithoutDependencies(file).pipe(Layer.provide(sqlLayer(file, makeNodeSqliteClient(file))))

  /** A PostgreSQL database (a cluster's): `postgres://user@host:port/db`. */
  static readonly postgres = (url: string): Layer.Layer<ResultsStore, ResultsStoreError> =>
    ResultsStore.layerWithoutDependencies(redactedUrl(url)).pipe(Layer.provide(postgresLayer(url)))
}

/** The URL without its password, for messages. */
export const redactedUrl = (url: string): string => url.replace(/(\/\/[^:/@]+):[^@]*@/, "$1:***@")

/** effect/sql's SqlClient on PostgreSQL. */
export const postgresLayer = (url: string): Layer.Layer<SqlClient.SqlClient, ResultsStoreError> =>
  sqlLayer(redactedUrl(url), PgClient.make({ url: Redacted.make(url) }))

/** A SqlClient layer whose failure to connect is a ResultsStoreError naming the database. */
const sqlLayer = <E extends { readonly message: string }>(
  database: string,
  make: Effect.Effect<SqlClient.SqlClient, E, Scope.Scope | Reactivity.Reactivity>
): Layer.Layer<SqlClient.SqlClient, ResultsStoreError> =>
  Layer.effect(SqlClient.SqlClient, Effect.mapError(make, (e) => new ResultsStoreError({ database, reason: e.message }))).pipe(
    Layer.provide(Reactivity.layer)
  )

/** `postgres://` or `postgresql://` URLs name a PostgreSQL database; anything else is a SQLite file. */
export const isPostgresUrl = (database: string): boolean => /^postgres(ql)?:\/\//.test(database)

/** The store for `database`: a PostgreSQL URL or a SQLite file. */
export const resultsStoreLayer = (database: string): Layer.Layer<ResultsStore, ResultsStoreError> =>
  isPostgresUrl(database) ? ResultsStore.postgres(database) : ResultsStore.sqlite(database)

/** The store for readers (`results`, `report`): a mistyped SQLite path is an error, never a new empty database. */
export const existingResultsStoreLayer = (database: string): Layer.Layer<ResultsStore, ResultsStoreError> =>
  isPostgresUrl(database) || existsSync(database)
    ? resultsStoreLayer(database)
    : Layer.effect(ResultsStore, Effect.fail(new ResultsStoreError({ database, reason: `no results database at ${database}` })))
