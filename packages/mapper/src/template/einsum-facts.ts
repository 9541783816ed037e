/**
 * The facts about one Einsum that template generation keeps asking: its rank variables with a
 * bound above 1 (a bound-1 variable never needs a loop), how each one relates to each tensor,
 * which tensors other Einsums share (fusable), and which are persistent.
 */
import { type EinsumContext, type Relevancy, relevancyOf } from "@effect-accelforge/core"

export interface EinsumFacts {
  readonly name: string
  /** Sorted; only those with a bound above 1. */
  readonly rankVariables: ReadonlyArray<string>
  readonly tensors: ReadonlyArray<string>
  readonly relevancy: (variable: string, tensor: string) => Relevancy
  /** Tensors of this Einsum that at least one other Einsum uses. */
  readonly fusable: ReadonlySet<string>
  readonly persistent: ReadonlySet<string>
  readonly isCopy: boolean
}

export const einsumFacts = (ctx: EinsumContext, fusableTensors: ReadonlySet<string>): EinsumFacts => {
  const einsum = ctx.einsum
  const projections = new Map(einsum.accesses.map((a) => [a.tensor, a.projection] as const))
  const cache = new Map<string, Relevancy>()
  const relevancy = (variable: string, tensor: string): Relevancy => {
    const key = `${variable}\u0000${tensor}`
    let r = cache.get(key)
    if (r === undefined) {
      r = relevancyOf(projections.get(tensor)!, variable)
      cache.set(key, r)
    }
    return r
  }
  const tensors = [...projections.keys()].sort()
  return {
    name: einsum.name,
    rankVariables: einsum.rankVariables.filter((r) => r.bound > 1).map((r) => r.variable).sort(),
    tensors,
    relevancy,
    fusable: new Set(tensors.filter((t) => fusableTensors.has(t))),
    persistent: new Set(tensors.filter((t) => ctx.persistentTensors.has(t) || einsum.accesses.some((a) => a.tensor === t && a.persistent))),
    isCopy: einsum.isCopyOperation
  }
}

/** Tensors used by two or more Einsums of the workload. */
export const sharedTensors = (einsums: ReadonlyArray<{ readonly accesses: ReadonlyArray<{ readonly tensor: string }> }>): ReadonlySet<string> => {
  const users = new Map<string, number>()
  for (const e of einsums) for (const t of new Set(e.accesses.map((a) => a.tensor))) users.set(t, (users.get(t) ?? 0) + 1)
  return new Set([...users].filter(([, n]) => n >= 2).map(([t]) => t))
}
