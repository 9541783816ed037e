/**
 * The ParetoPruner service: which rows of a columnar table survive. Its function is called in
 * the hot path (partial tile rows, once per template and per group, every join step), so the
 * service hands out a plain function; provide another Layer to run the whole search with a
 * different pruner (an ablation that keeps everything, a tolerance study). A worker thread
 * cannot receive a function: it imports the same one from the module the service names.
 */
import { Context, Layer } from "effect"
import { keepAllRows } from "../pareto/keep-all.ts"
import { type Goal, paretoFront, type ParetoOptions } from "../pareto/index.ts"
import { KEEP_ALL_MODULE, PARETO_FRONT_MODULE, type PrunerModule } from "./pruner-module.ts"

export type { PrunerModule } from "./pruner-module.ts"

/** Indices (ascending) of the rows kept. The columns are valid during the call only (the join reuses their space). */
export type PruneFunction = (columns: ReadonlyArray<Float64Array>, goals: ReadonlyArray<Goal>, options?: ParetoOptions) => Int32Array

export class ParetoPruner extends Context.Service<ParetoPruner, {
  readonly front: PruneFunction
  /** The same function for worker threads; without it the search runs in the calling thread only. */
  readonly worker?: PrunerModule
}>()("effect-accelforge/mapper/ParetoPruner") {
  /** A pruner; give `worker` (the module exporting `front`) so searches on worker threads use it too. */
  static make(front: PruneFunction, worker?: PrunerModule): Layer.Layer<ParetoPruner> {
    return Layer.succeed(ParetoPruner, ParetoPruner.of(worker === undefined ? { front } : { front, worker }))
  }

  /** Exact Pareto fronts (with the configured tolerances), AccelForge's keep-first tie rule. */
  static readonly layer = ParetoPruner.make(paretoFront, PARETO_FRONT_MODULE)
  /** Ablation: keep every row (no pruning at all). */
  static readonly keepAll = ParetoPruner.make(keepAllRows, KEEP_ALL_MODULE)
}
