/**
 * The ParetoPruner service: which rows of a columnar table survive. Its function is called in
 * the hot path (once per template and per group), so the service hands out a plain function;
 * provide another Layer to run the search with a different pruner (e.g. an ablation that keeps
 * everything, or a tolerance study).
 */
import { Context, Layer } from "effect"
import { type Goal, paretoFront, type ParetoOptions } from "../pareto/index.ts"

export type PruneFunction = (columns: ReadonlyArray<Float64Array>, goals: ReadonlyArray<Goal>, options?: ParetoOptions) => Int32Array

export class ParetoPruner extends Context.Service<ParetoPruner, {
  readonly front: PruneFunction
}>()("effect-accelforge/mapper/ParetoPruner") {
  /** Exact Pareto fronts (with the configured tolerances), AccelForge's keep-first tie rule. */
  static readonly layer = Layer.succeed(ParetoPruner, ParetoPruner.of({ front: paretoFront }))
  /** Ablation: keep every row (no pruning at all). */
  static readonly keepAll = Layer.succeed(ParetoPruner, ParetoPruner.of({ front: (columns) => Int32Array.from({ length: columns[0]?.length ?? 0 }, (_, i) => i) }))
}
