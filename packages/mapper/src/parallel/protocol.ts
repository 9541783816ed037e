/** Messages between the main thread and pmapping workers. */
import type { MapperConfig } from "@effect-accelforge/core"
import type { OverlapMode } from "@effect-accelforge/model"
import type { PrunerModule } from "../service/pareto-pruner.ts"
import type { SpecMessage } from "./spec-transfer.ts"
import type { TransferableTable } from "./table-transfer.ts"
import type { WorkerEnd } from "./worker-thread.ts"

/** How to load a spec from files (the same files, variables and overrides as on the command line). */
export interface SpecRequest {
  readonly files: ReadonlyArray<string>
  readonly variables: Readonly<Record<string, unknown>>
  readonly overrides: ReadonlyArray<string>
}

/** What a worker searches: the loaded spec itself, the search's config, and the Einsums it is given. */
export interface WorkerRequest {
  readonly spec: SpecMessage
  readonly config: MapperConfig
  readonly mode: OverlapMode
  readonly pruner: PrunerModule
  readonly einsums: ReadonlyArray<string>
  /** When the search started (time_limit counts from there). */
  readonly started: number
}

export type WorkerMessage =
  | { readonly _tag: "progress"; readonly einsum: string; readonly done: number; readonly total: number }
  | { readonly _tag: "table"; readonly table: TransferableTable }
  | WorkerEnd
