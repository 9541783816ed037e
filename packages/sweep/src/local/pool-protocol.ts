/** Messages between a sweep and its point workers (child processes, over Node's IPC channel). */
import type { PointOutcome } from "../point-outcome.ts"
import type { SweepPoint } from "../sweep-file.ts"

export interface WorkerSetup {
  /** Worker threads for each point's per-Einsum search. */
  readonly threadsPerPoint: number
  readonly cacheDirectory: string | undefined
}

export type ToWorker = { readonly _tag: "run"; readonly point: SweepPoint }

export type FromWorker = { readonly _tag: "outcome"; readonly key: string; readonly outcome: PointOutcome }
