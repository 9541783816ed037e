/**
 * Splitting a LoopTree into one root-to-Compute path per Einsum (model §1.3). The nodes above
 * a split are copied into every branch below it, so a shared (fused) loop is simply one of the
 * outermost loops of each Einsum's path. Node objects are shared, not copied: two paths hold the
 * same object for a node above their common split, which is how capacity finds what is shared.
 */
import type { BranchNode, ComputeNode, Mapping, MappingNode } from "@effect-accelforge/core"
import { InvalidMappingError } from "../errors.ts"

/** A leaf node of the tree, with its path in the document (e.g. ["mapping", "nodes", "2"]). */
export interface PathNode {
  readonly node: Exclude<MappingNode, BranchNode>
  readonly path: ReadonlyArray<string>
}

/** A branching node an Einsum's path goes through, below `depth` of its nodes. */
export interface BranchPoint {
  readonly node: BranchNode
  readonly depth: number
}

/** One Einsum's chain of nodes, outermost first, ending with its Compute. */
export interface EinsumPath {
  readonly einsum: string
  readonly nodes: ReadonlyArray<PathNode>
  /** The branching nodes (`!Sequential`, `!Pipeline`, `!Split`) above its Compute, outermost first. */
  readonly branches: ReadonlyArray<BranchPoint>
  readonly compute: ComputeNode
  readonly computePath: ReadonlyArray<string>
}

const SPLIT_TAGS: ReadonlySet<string> = new Set(["Sequential", "Pipeline", "Split"])

const isBranch = (n: MappingNode): n is BranchNode =>
  n.$tag === "Nested" || n.$tag === "Mapping" || SPLIT_TAGS.has(n.$tag)

interface Located {
  readonly node: MappingNode
  readonly path: ReadonlyArray<string>
}

/** One node as a chain: a `Nested` is spliced in place (it is just more chain). */
const flattenOne = (node: MappingNode, path: ReadonlyArray<string>): Array<Located> =>
  node.$tag === "Nested" || node.$tag === "Mapping"
    ? flattenChain((node as BranchNode).nodes, [...path, "nodes"])
    : [{ node, path }]

const flattenChain = (nodes: ReadonlyArray<MappingNode>, path: ReadonlyArray<string>): Array<Located> =>
  nodes.flatMap((node, i) => flattenOne(node, [...path, String(i)]))

const invalid = (path: ReadonlyArray<string>, reason: string): never => {
  throw new InvalidMappingError({ reason, path: [...path] })
}

const walk = (chain: ReadonlyArray<Located>, prefix: ReadonlyArray<PathNode>, branches: ReadonlyArray<BranchPoint>, out: Array<EinsumPath>): void => {
  const collected: Array<PathNode> = [...prefix]
  for (const [i, { node, path }] of chain.entries()) {
    if (isBranch(node)) {
      if (i !== chain.length - 1) invalid(path, `only the last node of a chain may branch; a !${node.$tag} is followed by more nodes`)
      if (node.nodes.length === 0) invalid(path, `!${node.$tag} has no branches`)
      const below = [...branches, { node, depth: collected.length }]
      node.nodes.forEach((child, j) => walk(flattenOne(child, [...path, "nodes", String(j)]), collected, below, out))
      return
    }
    if (node.$tag === "Compute") {
      if (i !== chain.length - 1) invalid(path, "a !Compute must be the last node of its branch")
      out.push({ einsum: node.einsum, nodes: [...collected, { node, path }], branches, compute: node, computePath: path })
      return
    }
    collected.push({ node, path })
  }
  const last = chain[chain.length - 1]
  invalid(last?.path ?? ["mapping"], "this branch of the mapping does not end with a !Compute")
}

/** Every Einsum's path through the mapping, in tree order. Throws InvalidMappingError. */
export const splitMapping = (mapping: Mapping): ReadonlyArray<EinsumPath> => {
  if (mapping.nodes.length === 0) invalid(["mapping"], "the mapping has no nodes")
  const out: Array<EinsumPath> = []
  walk(flattenChain(mapping.nodes, ["mapping", "nodes"]), [], [], out)
  const seen = new Map<string, EinsumPath>()
  for (const p of out) {
    const earlier = seen.get(p.einsum)
    if (earlier !== undefined) {
      invalid(p.computePath, `Einsum ${p.einsum} is computed twice (also at ${earlier.computePath.join(".")})`)
    }
    seen.set(p.einsum, p)
  }
  return out
}
