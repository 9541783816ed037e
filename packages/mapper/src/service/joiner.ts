/**
 * The Joiner service: per-Einsum pmapping tables in, the Pareto front of whole fused mappings
 * out (FFM §5). It uses the ParetoPruner it is given for every join-time prune and the search's
 * composition for the objective columns, and writes one JSON line per step to
 * `_runtime_log_file` when the spec asks for it.
 *
 * It first joins the Einsums' unfused pmappings (join/best-so-far.ts): when the full join then
 * runs out of time or memory, or is stopped, the answer is that best-so-far, marked incomplete
 * with what was not explored. Asked to (`inWorker`), it joins on a worker thread, so the calling
 * thread stays free to take a signal and stopping terminates the join mid-loop; a small join
 * (SMALL_JOIN_ROWS) runs here all the same.
 */
import { appendFileSync } from "node:fs"
import { Context, Effect, Layer } from "effect"
import { budgetOf } from "../generate/limits.ts"
import type { PmappingTable } from "../generate/pmapping-table.ts"
import { joinWithBestSoFar } from "../join/best-so-far.ts"
import type { Incomplete, JoinOptions, JoinProgress, JoinResult, JoinStep } from "../join/join-pmappings.ts"
import { joinInWorker } from "../parallel/join-in-worker.ts"
import { pickedScalar } from "../search/pick.ts"
import { einsumTensors, type SearchSetup } from "../search/search-setup.ts"
import type { SearchLimitError, SearchStoppedError } from "../errors.ts"
import { attempt, type MapperError } from "./attempt.ts"
import { ParetoPruner } from "./pareto-pruner.ts"
import { stoppable } from "./stop.ts"
import { stopFlagOf } from "./stop-flag.ts"

export interface JoinServiceOptions {
  /** When the whole search started (time_limit counts from there). */
  readonly started?: number
  readonly onStep?: (done: number, total: number) => void
  readonly onProgress?: (p: JoinProgress) => void
  /** Aborting it stops the join: the answer is then the best-so-far, marked incomplete. */
  readonly stop?: AbortSignal
  /** Join on a worker thread (when the pruner names its module), leaving this thread free. */
  readonly inWorker?: boolean
  /** A small join (SMALL_JOIN_ROWS) runs on this thread even when `inWorker` asks for a worker (default true). */
  readonly smallInThread?: boolean
  /** Called once the best-so-far exists. */
  readonly onBestSoFar?: () => void
}

/** What a stopped join did not explore, from the last progress it reported. */
const unexplored = (tables: ReadonlyArray<PmappingTable>, last: JoinProgress | undefined): string => {
  const rest = "the answer is the best mapping without fused loops (each Einsum's best pmapping with its shared tensors held whole)"
  if (last === undefined) return `the fused join of ${tables.length} Einsums did not get past its first Einsum; ${rest}`
  if (last.phase === "upper bound") {
    return `the fused join stopped at Einsum ${last.einsum} of the beam join that bounds it (${last.step} of ${last.steps}), before the full join started; ${rest}`
  }
  const left = tables.slice(last.step).map((t) => t.einsum)
  return `the fused join stopped at Einsum ${last.einsum} (${last.step} of ${last.steps}, ${last.groupsDone} of ${last.groups} groups of the Einsums before it met, ` +
    `${last.rowsFormed} row pairs formed)${left.length > 0 ? `; ${left.join(", ")} not joined yet` : ""}; ${rest}`
}

const incompleteOf = (e: SearchLimitError | SearchStoppedError, tables: ReadonlyArray<PmappingTable>, last: JoinProgress | undefined): Incomplete => ({
  cause: e._tag === "SearchLimitError" ? e.limit : e.cause,
  reason: e.reason,
  unexplored: unexplored(tables, last)
})

/** One runtime-log line per join step (AccelForge's `_runtime_log_file`, our field names). */
export const runtimeLogLine = (step: JoinStep): string => JSON.stringify(step)

const writeRuntimeLog = (file: string | null, steps: ReadonlyArray<JoinStep>): Effect.Effect<void> =>
  file === null ? Effect.void : Effect.sync(() => appendFileSync(file, steps.map((s) => runtimeLogLine(s) + "\n").join("")))

/**
 * Joins of at most this many rows in all (the Einsums' Pareto-optimal pmappings) run on the
 * calling thread even when asked to run on a worker: they take milliseconds to a tenth of a
 * second (the 578 rows of simba's three matmuls: 0.11 s in bench/results.md), while starting
 * the worker costs 0.3 to 0.5 s of CPU. A signal waits at most that long for this thread.
 */
export const SMALL_JOIN_ROWS = 2000

const smallJoin = (tables: ReadonlyArray<PmappingTable>): boolean => {
  let rows = 0
  for (const t of tables) for (const g of t.groups) rows += g.rows
  return rows <= SMALL_JOIN_ROWS
}

export class Joiner extends Context.Service<Joiner, {
  readonly join: (tables: ReadonlyArray<PmappingTable>, setup: SearchSetup, options?: JoinServiceOptions) => Effect.Effect<JoinResult, MapperError>
}>()("effect-accelforge/mapper/Joiner") {
  /** Needs its ParetoPruner provided. */
  static readonly layerWithoutDependencies = Layer.effect(
    Joiner,
    Effect.gen(function*() {
      const pruner = yield* ParetoPruner
      return Joiner.of({
        join: (tables, setup, options = {}) => {
          let bestSoFar: JoinResult | undefined
          let last: JoinProgress | undefined
          const onProgress = (p: JoinProgress) => {
            last = p
            options.onProgress?.(p)
          }
          const onBestSoFar = (r: JoinResult) => {
            bestSoFar = r
            options.onBestSoFar?.()
          }
          const objective = pickedScalar(setup)
          const joinOptions: JoinOptions = {
            config: setup.config,
            ...(objective === undefined ? {} : { objective }),
            einsumTensors: einsumTensors(setup),
            prune: pruner.front,
            composition: setup.composition,
            budget: budgetOf(setup.config, options.started ?? Date.now()),
            // On this thread the join never yields to the event loop: it sees a stop through the flag.
            ...(options.stop === undefined ? {} : { stop: stopFlagOf(options.stop)! }),
            onProgress,
            ...(options.onStep === undefined ? {} : { onStep: options.onStep })
          }
          const full = options.inWorker === true && pruner.worker !== undefined && !(options.smallInThread !== false && smallJoin(tables))
            ? joinInWorker(tables, {
              config: setup.config, mode: setup.composition.mode, ...(objective === undefined ? {} : { objective }), shape: setup.shape, pruner: pruner.worker, einsumTensors: joinOptions.einsumTensors,
              started: options.started ?? Date.now(), onProgress, onBestSoFar
            })
            : attempt(() => joinWithBestSoFar(tables, joinOptions, onBestSoFar))
          const answerWithBestSoFar = (e: SearchLimitError | SearchStoppedError) =>
            bestSoFar === undefined ? Effect.fail(e) : Effect.succeed<JoinResult>({ ...bestSoFar, incomplete: incompleteOf(e, tables, last) })
          return stoppable(full, options.stop, "the join").pipe(
            Effect.catchTags({ SearchLimitError: answerWithBestSoFar, SearchStoppedError: answerWithBestSoFar }),
            Effect.tap((result) => writeRuntimeLog(setup.config._runtime_log_file, result.steps))
          )
        }
      })
    })
  )

  static readonly layer = this.layerWithoutDependencies.pipe(Layer.provide(ParetoPruner.layer))
}
