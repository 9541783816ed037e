/**
 * A mapping as an indented LoopTree in the terminal: one node per line, each Einsum's chain
 * under a `Sequential`, loops with their tile and iteration count. Loops that run once are
 * left out (they change nothing).
 *
 * Iteration counts follow the tree: a loop divides the tile its Einsums had above it, and the
 * loops above a `Sequential` (shared by several Einsums) carry into every branch. A shared
 * loop may name its rank variable as a set, `{n0, n1}`: each Einsum below uses the member it
 * has. `shownLoopTree` is that walk; the text and SVG renderings draw its result.
 */
import type { Mapping, MappingNode, SpatialNode, TemporalNode } from "@effect-accelforge/core"

/** An Einsum's rank bounds (rank variable -> size). */
export type Bounds = (einsum: string) => ReadonlyMap<string, number>

/** A node of the tree as shown: `Nested` chains are flattened and loops of one iteration dropped. */
export interface ShownNode {
  /** Never `Nested` or `Mapping` (their nodes are inlined). */
  readonly node: MappingNode
  /** For a loop: its distinct iteration counts over the Einsums below it (NaN when unknown). */
  readonly iterations: ReadonlyArray<number>
  /** What hangs below: the rest of the chain, or the branches of a Sequential/Pipeline/Split. */
  readonly children: ReadonlyArray<ShownNode>
}

export const tensorsOf = (t: ReadonlyArray<string> | string) => (typeof t === "string" ? t : t.join(", "))

export const isLoop = (n: MappingNode): n is TemporalNode | SpatialNode => n.$tag === "Temporal" || n.$tag === "Spatial"

export const isBranch = (n: MappingNode): n is MappingNode & { readonly nodes: ReadonlyArray<MappingNode> } =>
  n.$tag === "Sequential" || n.$tag === "Pipeline" || n.$tag === "Split"

/** The variables a loop's `rank_variable` names: itself, or the members of a `{a, b}` set. */
export const loopVariables = (written: string): ReadonlyArray<string> => {
  const trimmed = written.trim()
  if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) return [written]
  return trimmed.slice(1, -1).split(",").map((v) => v.trim()).filter((v) => v.length > 0)
}

/** Counts as short text: integers as they are, fractions (imperfect tiles) to 3 digits, unknown as `?`. */
export const formatIterations = (n: number): string =>
  Number.isNaN(n) ? "?" : Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(3)))

/** A chain with `Nested`/`Mapping` wrappers inlined (each node is the parent of the next). */
const flatten = (nodes: ReadonlyArray<MappingNode>): Array<MappingNode> =>
  nodes.flatMap((n) => (n.$tag === "Nested" || n.$tag === "Mapping" ? flatten(n.nodes) : [n]))

/** The Einsums computed in these nodes and everything below them. */
const einsumsIn = (nodes: ReadonlyArray<MappingNode>, out: Set<string> = new Set()): Set<string> => {
  for (const n of nodes) {
    if (n.$tag === "Compute") out.add(n.einsum)
    else if ("nodes" in n) einsumsIn(n.nodes, out)
  }
  return out
}

/** Per Einsum, the current tile of each rank variable (starts at the Einsum's bounds). */
type Tiles = Map<string, Map<string, number>>

const copyTiles = (tiles: Tiles): Tiles => new Map([...tiles].map(([e, t]) => [e, new Map(t)]))

const walk = (chain: ReadonlyArray<MappingNode>, at: number, tiles: Tiles, bounds: Bounds): ShownNode | undefined => {
  const n = chain[at]
  if (n === undefined) return undefined
  if (isLoop(n)) {
    const tile = Number(n.tile_shape)
    const written = loopVariables(n.rank_variable)
    const counts = new Set<number>()
    for (const einsum of einsumsIn(chain.slice(at + 1))) {
      let current = tiles.get(einsum)
      if (current === undefined) {
        current = new Map(bounds(einsum))
        tiles.set(einsum, current)
      }
      const variable = written.find((v) => current.has(v))
      if (variable === undefined) continue // not a rank of this Einsum: nothing to divide
      if (!Number.isFinite(tile) || tile <= 0) {
        counts.add(Number.NaN)
        continue
      }
      counts.add(current.get(variable)! / tile)
      current.set(variable, tile)
    }
    const rest = walk(chain, at + 1, tiles, bounds)
    if ([...counts].every((c) => c === 1)) return rest
    return { node: n, iterations: [...counts], children: rest === undefined ? [] : [rest] }
  }
  if (isBranch(n)) {
    const branches = n.nodes.flatMap((b) => walk(flatten([b]), 0, copyTiles(tiles), bounds) ?? [])
    // Nodes after a branch are not expected (only the last node may branch); keep them as one more child.
    const after = walk(chain, at + 1, tiles, bounds)
    return { node: n, iterations: [], children: after === undefined ? branches : [...branches, after] }
  }
  const rest = walk(chain, at + 1, tiles, bounds)
  return { node: n, iterations: [], children: rest === undefined ? [] : [rest] }
}

/** The mapping's tree as shown (undefined for an empty mapping). */
export const shownLoopTree = (mapping: Mapping, bounds: Bounds): ShownNode | undefined =>
  walk(flatten(mapping.nodes), 0, new Map(), bounds)

const loopLine = (n: TemporalNode | SpatialNode, iterations: ReadonlyArray<number>): string => {
  const what = n.$tag === "Spatial" ? `Spatial ${n.component}.${n.name}` : "Temporal"
  return `${what} ${n.rank_variable} tile ${String(n.tile_shape)} (${iterations.map((c) => `x${formatIterations(c)}`).join(" / ")})`
}

const renderNode = (s: ShownNode, depth: number, out: Array<string>): void => {
  const n = s.node
  const pad = "  ".repeat(depth)
  let below = depth
  switch (n.$tag) {
    case "Storage":
      out.push(`${pad}Storage ${n.component} [${tensorsOf(n.tensors)}]${n.persistent ? " (persistent)" : ""}`)
      break
    case "Toll":
      out.push(`${pad}Toll ${n.component} [${tensorsOf(n.tensors)}]`)
      break
    case "Temporal":
    case "Spatial":
      out.push(`${pad}${loopLine(n, s.iterations)}`)
      below++
      break
    case "Compute":
      out.push(`${pad}Compute ${n.component} (Einsum ${n.einsum})`)
      break
    case "Sequential":
    case "Pipeline":
    case "Split":
      out.push(`${pad}${n.$tag}`)
      below++
      break
    default:
      break
  }
  for (const child of s.children) renderNode(child, below, out)
}

export const renderLoopTree = (mapping: Mapping, bounds: Bounds): string => {
  const out: Array<string> = []
  const root = shownLoopTree(mapping, bounds)
  if (root !== undefined) renderNode(root, 0, out)
  return out.join("\n")
}
