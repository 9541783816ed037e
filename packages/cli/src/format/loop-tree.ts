/**
 * A mapping as an indented LoopTree in the terminal: one node per line, each Einsum's chain
 * under a `Sequential`, loops with their tile and iteration count. Loops that run once are
 * left out (they change nothing).
 */
import type { Mapping, MappingNode } from "@effect-accelforge/core"

type Bounds = (einsum: string) => ReadonlyMap<string, number>

const tensorsOf = (t: ReadonlyArray<string> | string) => (typeof t === "string" ? t : t.join(", "))

/** The chain's Einsum: the one its Compute names (Nested chains end with it). */
const einsumOf = (nodes: ReadonlyArray<MappingNode>): string | undefined => {
  for (const n of nodes) {
    if (n.$tag === "Compute") return n.einsum
    if ("nodes" in n) {
      const found = einsumOf(n.nodes)
      if (found !== undefined) return found
    }
  }
  return undefined
}

const renderChain = (nodes: ReadonlyArray<MappingNode>, depth: number, bounds: Bounds, out: Array<string>): void => {
  const einsum = einsumOf(nodes)
  const outer = new Map(einsum === undefined ? [] : bounds(einsum))
  let indent = depth
  for (const n of nodes) {
    const pad = "  ".repeat(indent)
    switch (n.$tag) {
      case "Storage":
        out.push(`${pad}Storage ${n.component} [${tensorsOf(n.tensors)}]${n.persistent ? " (persistent)" : ""}`)
        break
      case "Toll":
        out.push(`${pad}Toll ${n.component} [${tensorsOf(n.tensors)}]`)
        break
      case "Temporal":
      case "Spatial": {
        const tile = Number(n.tile_shape)
        const before = outer.get(n.rank_variable) ?? tile
        outer.set(n.rank_variable, tile)
        const iterations = before / tile
        if (iterations === 1) break
        const what = n.$tag === "Spatial" ? `Spatial ${n.component}.${n.name}` : "Temporal"
        out.push(`${pad}${what} ${n.rank_variable} tile ${tile} (x${iterations})`)
        indent++
        break
      }
      case "Compute":
        out.push(`${pad}Compute ${n.component} (Einsum ${n.einsum})`)
        break
      case "Sequential":
      case "Pipeline":
      case "Split":
        out.push(`${pad}${n.$tag}`)
        for (const child of n.nodes) renderChain(child.$tag === "Nested" ? child.nodes : [child], indent + 1, bounds, out)
        break
      case "Nested":
      case "Mapping":
        renderChain(n.nodes, indent, bounds, out)
        break
      default:
        break
    }
  }
}

export const renderLoopTree = (mapping: Mapping, bounds: Bounds): string => {
  const out: Array<string> = []
  renderChain(mapping.nodes, 0, bounds, out)
  return out.join("\n")
}
