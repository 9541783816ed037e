/**
 * AccelForge's experimental `!Array` (a physical array of units whose member memories are
 * distributed over it). Core does not resolve Arrays yet, so the model rewrites each one as its
 * members followed by a `!Container` with the Array's name and fanout: spatial loops on the
 * Array then replicate what sits below the Array (its members are shared, above the loops), and
 * any Network inside the Array is crossed by transfers from a member to a level below.
 *
 * A member memory with its own `spatial` fanout is a distributed buffer: its units are spread
 * over the Array's dimensions of the same name. Per-unit counts and occupancy are divided by
 * its active units, and transfers from it over the Array's network start from the nearest unit.
 */
import type { ArchNode, LoadedSpec } from "@effect-accelforge/core"

export interface ArrayRewrite {
  readonly loaded: LoadedSpec
  /** Member name → the Array it belongs to. */
  readonly memberOf: ReadonlyMap<string, string>
}

const containsArray = (nodes: ReadonlyArray<ArchNode>): boolean =>
  nodes.some((n) => n.$tag === "Array" || ((n.$tag === "Hierarchical" || n.$tag === "Fork") && containsArray(n.nodes)))

const rewrite = (nodes: ReadonlyArray<ArchNode>, memberOf: Map<string, string>): Array<ArchNode> =>
  nodes.flatMap((n): Array<ArchNode> => {
    if (n.$tag === "Array") {
      for (const m of n.nodes) if ("name" in m) memberOf.set(m.name, n.name)
      return [...rewrite(n.nodes, memberOf), { $tag: "Container", name: n.name, spatial: n.spatial }]
    }
    if (n.$tag === "Hierarchical" || n.$tag === "Fork") return [{ ...n, nodes: rewrite(n.nodes, memberOf) }]
    return [n]
  })

export const rewriteArrays = (loaded: LoadedSpec): ArrayRewrite => {
  if (!containsArray(loaded.spec.arch.nodes)) return { loaded, memberOf: new Map() }
  const memberOf = new Map<string, string>()
  const nodes = rewrite(loaded.spec.arch.nodes, memberOf)
  return { loaded: { ...loaded, spec: { ...loaded.spec, arch: { ...loaded.spec.arch, nodes } } }, memberOf }
}
