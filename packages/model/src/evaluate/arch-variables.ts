/**
 * `arch.variables` for one Einsum, as `total_latency` expressions see them. Core evaluates them
 * while resolving the arch but does not keep them, so they are evaluated again here, in written
 * order, each seeing the spec variables, the Einsum's symbols and the ones before it.
 */
import { Result } from "effect"
import { type EinsumContext, evaluateValue, EvaluationError, layeredScope, type LoadedSpec, scopeFromRecord, symbolScope } from "@effect-accelforge/core"

export const archVariables = (loaded: LoadedSpec, ctx: EinsumContext): Record<string, unknown> => {
  const done: Record<string, unknown> = {}
  const scope = layeredScope(scopeFromRecord(done), scopeFromRecord(ctx.variables), symbolScope(ctx.symbols))
  for (const [name, raw] of Object.entries(loaded.spec.arch.variables)) {
    const value = evaluateValue(raw, scope)
    if (Result.isFailure(value)) throw new EvaluationError({ path: ["arch", "variables", name], reason: value.failure.reason })
    done[name] = value.success
  }
  return done
}
