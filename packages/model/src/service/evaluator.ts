/**
 * The Evaluator service: a thin Effect boundary around the pure model, so a research user can
 * swap the implementation (an ablation, a cached or remote evaluator) by providing another Layer.
 */
import { Context, Effect, Layer } from "effect"
import type { EvaluationError, LoadedSpec } from "@effect-accelforge/core"
import { componentCosts, type ComponentCosts } from "../costs/component-costs.ts"
import { type EvaluateError, evaluateMapping } from "../evaluate/evaluate-mapping.ts"
import type { MappingSource } from "../mapping/source.ts"
import type { EvaluationResult } from "../result.ts"

export class Evaluator extends Context.Service<Evaluator, {
  /** Evaluate `mapping` (default: the spec's own `mapping:`). */
  readonly evaluate: (loaded: LoadedSpec, mapping?: MappingSource) => Effect.Effect<EvaluationResult, EvaluateError>
  /** Area, leak power and per-action costs of every component. */
  readonly componentCosts: (loaded: LoadedSpec, einsum?: string) => Effect.Effect<ComponentCosts, EvaluationError>
}>()("effect-accelforge/model/Evaluator") {
  /** The AccelForge-compatible model. */
  static readonly layer = Layer.succeed(
    Evaluator,
    Evaluator.of({
      evaluate: (loaded, mapping) => Effect.suspend(() => Effect.fromResult(evaluateMapping(loaded, mapping))),
      componentCosts: (loaded, einsum) => Effect.suspend(() => Effect.fromResult(componentCosts(loaded, einsum)))
    })
  )
}
