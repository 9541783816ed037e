/**
 * A template's tile shapes before any pruning (what the search's `total` counts): what the
 * scheduling knows of a template's work before searching it (the in-thread probe's limit, the
 * order of the workers' queue).
 */
import type { LoopSlot } from "../template/template.ts"
import { templateTileShapes } from "../tiles/divisor-chains.ts"
import type { SearchSetup } from "./search-setup.ts"

/** Template `t` of Einsum `i` (indices into the setup's contexts and templates). */
export const templateSize = (setup: SearchSetup, i: number, t: number): number => {
  const template = setup.templates[i]![t]!
  const variables = template.loopPositions.map((p) => (template.nodes[p] as LoopSlot).rankVariable)
  return templateTileShapes(variables, setup.contexts[i]!.einsum.bounds, setup.config.tiling_coarseness)
}
