/**
 * Arch flattening (AccelForge §2.1): one path of leaves per Compute, outermost first,
 * ending with that Compute. A Compute met before the target is a side exit and is skipped;
 * a Fork is entered only when it contains the target; nested Hierarchical lists are spliced.
 */
import type { ArchLeaf, ArchNode, Compute } from "../spec/arch.ts"

const isLeaf = (n: ArchNode): n is ArchLeaf =>
  n.$tag === "Memory" || n.$tag === "Toll" || n.$tag === "Compute" || n.$tag === "Network" || n.$tag === "Container"

/** Every Compute in the arch, in written order (Forks and nested lists included). */
export const computeUnits = (nodes: ReadonlyArray<ArchNode>): ReadonlyArray<Compute> =>
  nodes.flatMap((n): ReadonlyArray<Compute> => (n.$tag === "Compute" ? [n] : isLeaf(n) ? [] : computeUnits(n.nodes)))

/** Every leaf of the arch, in written order. */
export const allLeaves = (nodes: ReadonlyArray<ArchNode>): ReadonlyArray<ArchLeaf> =>
  nodes.flatMap((n): ReadonlyArray<ArchLeaf> => (isLeaf(n) ? [n] : allLeaves(n.nodes)))

const containsCompute = (nodes: ReadonlyArray<ArchNode>, target: string): boolean =>
  computeUnits(nodes).some((c) => c.name === target)

/** Appends the path to `target` onto `out`; returns true once the target was reached. */
const walk = (nodes: ReadonlyArray<ArchNode>, target: string, out: Array<ArchLeaf>): boolean => {
  for (const node of nodes) {
    if (node.$tag === "Compute") {
      if (node.name === target) {
        out.push(node)
        return true
      }
      continue
    }
    if (isLeaf(node)) {
      out.push(node)
      continue
    }
    if (node.$tag === "Fork") {
      if (containsCompute(node.nodes, target)) return walk(node.nodes, target, out)
      continue
    }
    // Hierarchical, and Array (whose children are leaves), are spliced inline.
    if (walk(node.nodes, target, out)) return true
  }
  return false
}

/** The flattened arch for one compute unit, or undefined if no such Compute exists. */
export const flattenFor = (nodes: ReadonlyArray<ArchNode>, computeName: string): ReadonlyArray<ArchLeaf> | undefined => {
  const out: Array<ArchLeaf> = []
  return walk(nodes, computeName, out) ? out : undefined
}

/** Leaf names that occur more than once (they must be unique across the arch). */
export const duplicateLeafNames = (nodes: ReadonlyArray<ArchNode>): ReadonlyArray<string> => {
  const seen = new Set<string>()
  const dup = new Set<string>()
  for (const leaf of allLeaves(nodes)) (seen.has(leaf.name) ? dup : seen).add(leaf.name)
  return [...dup]
}
