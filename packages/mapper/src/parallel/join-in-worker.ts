/**
 * The join on a worker thread (join-worker.ts): the tables are copied there without their
 * templates (the join reads only groups and columns), the unfused best-so-far and progress come
 * back as they are made, then the final front. Interrupting the Effect terminates the thread.
 */
import { Effect } from "effect"
import type { MapperConfig } from "@effect-accelforge/core"
import type { BoundedObjective, CompositionShape, OverlapMode } from "@effect-accelforge/model"
import type { PmappingTable } from "../generate/pmapping-table.ts"
import type { JoinProgress, JoinResult } from "../join/join-pmappings.ts"
import type { MapperError } from "../service/attempt.ts"
import type { PrunerModule } from "../service/pareto-pruner.ts"
import type { TransferableTable } from "./table-transfer.ts"
import { runWorkerThread } from "./worker-thread.ts"

export interface JoinWorkerRequest {
  readonly tables: ReadonlyArray<TransferableTable>
  readonly config: MapperConfig
  readonly mode: OverlapMode
  /** The search's layout of the mode's columns (composition.forSearch). */
  readonly shape: CompositionShape
  readonly pruner: PrunerModule
  readonly einsumTensors: ReadonlyArray<ReadonlyArray<string>>
  /** When the search started (time_limit counts from there). */
  readonly started: number
  /** The scalar the pick minimises, when it is one (JoinOptions.objective). */
  readonly objective?: BoundedObjective
}

export type JoinWorkerMessage =
  | { readonly _tag: "progress"; readonly progress: JoinProgress }
  | { readonly _tag: "bestSoFar"; readonly result: JoinResult }
  | { readonly _tag: "result"; readonly result: JoinResult }

const WORKER_URL = new URL("./join-worker.ts", import.meta.url)

export interface JoinInWorkerOptions {
  readonly config: MapperConfig
  readonly mode: OverlapMode
  /** The search's layout of the mode's columns (composition.forSearch). */
  readonly shape: CompositionShape
  readonly pruner: PrunerModule
  readonly einsumTensors: ReadonlyArray<ReadonlySet<string>>
  readonly started: number
  readonly objective?: BoundedObjective
  readonly onProgress: (p: JoinProgress) => void
  readonly onBestSoFar: (r: JoinResult) => void
}

export const joinInWorker = (tables: ReadonlyArray<PmappingTable>, options: JoinInWorkerOptions): Effect.Effect<JoinResult, MapperError> => {
  let result: JoinResult | undefined
  const request: JoinWorkerRequest = {
    tables: tables.map(({ templates: _templates, ...rest }) => rest),
    config: options.config,
    mode: options.mode,
    shape: options.shape,
    pruner: options.pruner,
    einsumTensors: options.einsumTensors.map((s) => [...s]),
    started: options.started,
    ...(options.objective === undefined ? {} : { objective: options.objective })
  }
  return runWorkerThread<JoinWorkerMessage, JoinResult>(WORKER_URL, request, (m) => {
    if (m._tag === "progress") options.onProgress(m.progress)
    else if (m._tag === "bestSoFar") options.onBestSoFar(m.result)
    else result = m.result
  }, () => result!)
}
