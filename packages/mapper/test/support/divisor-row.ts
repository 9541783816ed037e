/** Test rows of a template: divisor chains, as the mapper enumerates them. */
import { divisors, type LoopSlot, type Template } from "../../src/index.ts"

/**
 * A divisor-chain row (innermost tile of each rank variable 1) picked by `picks`: loop i takes
 * divisor `picks[i mod length]` (mod the choices) of the tile above it.
 */
export const divisorRow = (template: Template, picks: ReadonlyArray<number>, bounds: ReadonlyMap<string, number> = template.context.einsum.bounds): Float64Array => {
  const loops = template.loopPositions.map((p) => template.nodes[p] as LoopSlot)
  const innermost = new Map<string, number>()
  loops.forEach((l, i) => innermost.set(l.rankVariable, i))
  const outer = new Map(bounds)
  return Float64Array.from(loops, (l, i) => {
    if (innermost.get(l.rankVariable) === i) return 1
    const options = divisors(outer.get(l.rankVariable)!)
    const tile = options[picks[i % picks.length]! % options.length]!
    outer.set(l.rankVariable, tile)
    return tile
  })
}
