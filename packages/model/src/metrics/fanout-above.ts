/**
 * How many instances of each component exist: the product of the spatial fanouts of every
 * node above it in the hierarchy. A node's own `spatial` is not included (AccelForge's rule for
 * total area and total leak power). Nodes after a Fork are not below the Fork's contents.
 */
import type { ArchNode, EinsumContext } from "@effect-accelforge/core"

export const fanoutAbove = (nodes: ReadonlyArray<ArchNode>, ctx: EinsumContext): ReadonlyMap<string, number> => {
  const own = new Map(ctx.components.map((c) => [c.name, c.spatial.reduce((p, s) => p * s.fanout, 1)] as const))
  const out = new Map<string, number>()
  const walk = (list: ReadonlyArray<ArchNode>, above: number): number => {
    let multiplier = above
    for (const node of list) {
      if (node.$tag === "Fork") walk(node.nodes, multiplier)
      else if (node.$tag === "Hierarchical") multiplier = walk(node.nodes, multiplier)
      else if (node.$tag === "Array") multiplier = walk(node.nodes, multiplier)
      else {
        out.set(node.name, multiplier)
        multiplier *= own.get(node.name) ?? 1
      }
    }
    return multiplier
  }
  walk(nodes, 1)
  return out
}
