/**
 * FFM's optimum over part of the mapspace: its per-Einsum tables with only some compatibility
 * groups kept, joined by its join. With the groups that keep every shared tensor in the
 * outermost memory (no fusion) it is the exact optimum of the mapspace a per-Einsum
 * (Timeloop-style) search explores, so such a search can be measured against the best it could
 * reach. Pareto pruning is per group, so the kept groups lose nothing.
 */
import { NoValidMappingError } from "../errors.ts"
import type { PmappingGroup, PmappingTable } from "../generate/pmapping-table.ts"
import { joinPmappings } from "../join/join-pmappings.ts"
import { pickBest } from "./pick.ts"
import { einsumTensors, type SearchSetup } from "./search-setup.ts"
import { totalsOfObjectives, workloadScore } from "./workload-score.ts"

/** The outermost memory of the arch (where a per-Einsum search keeps shared tensors). */
export const outermostMemory = (setup: SearchSetup): string => setup.contexts[0]?.components.find((c) => c.kind === "Memory")?.name ?? ""

/** A group that keeps every shared tensor in `outermost`, under no fused loop. */
export const unfusedGroup = (outermost: string) => (g: PmappingGroup): boolean =>
  g.compatibility.tensors.every((t) => t.component === outermost && t.loops.length === 0)

/** The best score of the tables restricted to `keep`'s groups (undefined when nothing joins). */
export const restrictedOptimum = (setup: SearchSetup, tables: ReadonlyArray<PmappingTable>, keep: (g: PmappingGroup) => boolean): number | undefined => {
  const restricted = tables.map((t) => ({ ...t, groups: t.groups.filter(keep) }))
  if (restricted.some((t) => t.groups.length === 0)) return undefined
  try {
    const { front } = joinPmappings(restricted, { config: setup.config, einsumTensors: einsumTensors(setup), composition: setup.composition })
    const best = pickBest(front, setup)
    const totals = totalsOfObjectives(setup.composition, setup.config.metrics, front.objectives.map((c) => c[best]!))
    return workloadScore(setup.config.metrics, totals)
  } catch (e) {
    if (e instanceof NoValidMappingError) return undefined
    throw e
  }
}
