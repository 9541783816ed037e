/**
 * An `effect/sql` SqlClient over Node's built-in SQLite (`node:sqlite`, one synchronous
 * connection). Effect's own SQLite driver package has no release for effect 4.1 (its 4.x
 * betas import modules 4.1 moved), and `node:sqlite` needs no native build, so this is the
 * driver: effect/sql provides the compiler, the single-connection acquirers and transactions;
 * this file only runs compiled statements. WAL journaling and a busy timeout let `results`
 * read while a sweep writes; `synchronous = FULL` makes every committed point durable across
 * a kill -9 or a power cut.
 */
import { DatabaseSync, type StatementSync } from "node:sqlite"
import { Effect, Layer, Semaphore, Stream } from "effect"
import { Reactivity } from "effect/reactivity"
import { SqlClient, SqlConnection, SqlError, Statement } from "effect/sql"

/** A failed operation as effect/sql's error, with SQLite's own words (e.g. "file is not a database"). */
const failure = (operation: string) => (cause: unknown) =>
  new SqlError.SqlError({
    reason: SqlError.classifySqliteError(cause, { message: `SQLite ${operation} failed${cause instanceof Error ? `: ${cause.message}` : ""}`, operation })
  })

const connectionOf = (db: DatabaseSync): SqlConnection.Connection => {
  const prepared = new Map<string, StatementSync>()
  const prepare = (sql: string, cache: boolean): StatementSync => {
    const hit = cache ? prepared.get(sql) : undefined
    if (hit !== undefined) return hit
    const statement = db.prepare(sql)
    if (cache) prepared.set(sql, statement)
    return statement
  }
  const run = (sql: string, params: ReadonlyArray<unknown>, options: { cache: boolean; arrays: boolean; raw?: boolean }) =>
    Effect.try({
      try: (): any => {
        const statement = prepare(sql, options.cache)
        statement.setReturnArrays(options.arrays)
        const args = params as Array<any>
        if (statement.columns().length > 0) return statement.all(...args)
        const result = statement.run(...args)
        return options.raw === true ? result : []
      },
      catch: failure("statement")
    })
  const rows = (effect: Effect.Effect<any, SqlError.SqlError>, transformRows: (<A extends object>(rows: ReadonlyArray<A>) => ReadonlyArray<A>) | undefined) =>
    transformRows === undefined ? effect : Effect.map(effect, transformRows)
  return {
    execute: (sql, params, transformRows) => rows(run(sql, params, { cache: true, arrays: false }), transformRows),
    executeRaw: (sql, params) => run(sql, params, { cache: true, arrays: false, raw: true }),
    executeValues: (sql, params) => run(sql, params, { cache: true, arrays: true }),
    executeValuesUnprepared: (sql, params) => run(sql, params, { cache: false, arrays: true }),
    executeUnprepared: (sql, params, transformRows) => rows(run(sql, params, { cache: false, arrays: false }), transformRows),
    executeStream: (sql, params, transformRows) =>
      Stream.fromIterableEffect(rows(run(sql, params, { cache: false, arrays: false }), transformRows))
  }
}

const open = (filename: string) =>
  Effect.acquireRelease(
    Effect.try({
      try: () => {
        const db = new DatabaseSync(filename)
        db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON")
        return db
      },
      catch: failure("open")
    }),
    (db) => Effect.sync(() => db.close())
  )

/** A SqlClient on the SQLite file `filename` (created when missing). */
export const makeNodeSqliteClient = (filename: string) =>
  Effect.gen(function*() {
    const db = yield* open(filename)
    const connection = connectionOf(db)
    const semaphore = yield* Semaphore.make(1)
    const acquirers = SqlClient.makeSqliteAcquirers({
      connection: Effect.succeed(connection),
      semaphore,
      isTransaction: () => db.isTransaction
    })
    return yield* SqlClient.make({
      ...acquirers,
      compiler: Statement.makeCompilerSqlite(),
      driver: "node:sqlite",
      spanAttributes: [["db.system.name", "sqlite"]]
    })
  })

/** The SqlClient service on a SQLite file. */
export const nodeSqliteLayer = (filename: string): Layer.Layer<SqlClient.SqlClient, SqlError.SqlError> =>
  Layer.effect(SqlClient.SqlClient, makeNodeSqliteClient(filename)).pipe(Layer.provide(Reactivity.layer))
