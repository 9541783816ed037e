/**
 * Everything the model and the mapper need to know about one Einsum: its geometry, its
 * symbols, bits per value, persistence, and the arch flattened per compute unit with every
 * number evaluated for this Einsum.
 */
import type { SymbolTable } from "../sets/index.ts"
import type { EinsumAnalysis } from "../workload/analyze.ts"
import type { ComputePath, ResolvedComponent } from "./resolved.ts"

export interface EinsumContext {
  readonly einsum: EinsumAnalysis
  readonly symbols: SymbolTable
  /** Bits per value of each tensor of this Einsum (workload level; components may override). */
  readonly bitsPerValue: ReadonlyMap<string, number>
  /** Tensors that must stay in backing storage for the whole workload. */
  readonly persistentTensors: ReadonlySet<string>
  /** Every arch leaf evaluated for this Einsum, in written order. */
  readonly components: ReadonlyArray<ResolvedComponent>
  /** One flattened arch per Compute of the arch (enabled or not). */
  readonly computePaths: ReadonlyArray<ComputePath>
  /** Spec variables, evaluated. */
  readonly variables: Readonly<Record<string, unknown>>
  /** `arch.variables`, evaluated for this Einsum (they may use its symbols). */
  readonly archVariables: Readonly<Record<string, unknown>>
}

/** The compute paths this Einsum may run on. */
export const enabledPaths = (context: EinsumContext): ReadonlyArray<ComputePath> =>
  context.computePaths.filter((p) => p.enabled)
