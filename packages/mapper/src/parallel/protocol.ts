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

/** One job of the shared queue: templates `from` (inclusive) to `to` (exclusive) of an Einsum. */
export interface TemplateJob {
  readonly einsum: string
  readonly from: number
  readonly to: number
}

/**
 * What a worker searches: the loaded spec itself, the search's config, and the queue of jobs
 * every worker shares. A worker takes the next job from the queue's front (queued-job.ts,
 * shared memory) until none is left, so no worker idles while another has work left.
 */
export interface WorkerRequest {
  readonly spec: SpecMessage
  readonly config: MapperConfig
  readonly mode: OverlapMode
  readonly pruner: PrunerModule
  readonly jobs: ReadonlyArray<TemplateJob>
  /** The main thread's `SearchSetup.sameSearchAs`, so that a worker does not compare the Einsums again. */
  readonly sameSearchAs: ReadonlyArray<number>
  /** The queue's shared state (queued-job.ts `JobQueue`): the front's next index, and one claim per job. */
  readonly queue: { readonly front: SharedArrayBuffer; readonly claims: SharedArrayBuffer }
  /** When the search started (time_limit counts from there). */
  readonly started: number
}

export type WorkerMessage =
  /** One template of `einsum` searched. */
  | { readonly _tag: "progress"; readonly einsum: string }
  /** Job `job`'s table (its templates' groups only). */
  | { readonly _tag: "table"; readonly job: number; readonly table: TransferableTable }
  | WorkerEnd
