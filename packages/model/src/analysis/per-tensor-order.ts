/**
 * The node order one tensor's pass sees (model §1.6). A spatial loop does not sit at one fixed
 * place relative to every holder, so for tensor t: keep the temporal loops, t's holders and
 * reservations and the Compute in order, and put each spatial loop just above the first of t's
 * holders (or the Compute) that it replicates, i.e. whose arch level is at or below the loop's
 * component. Runs of consecutive loops are then put back in their written order.
 */
import { InvalidMappingError } from "../errors.ts"
import type { LoopNode } from "../mapping/pmapping.ts"
import type { EinsumGeometry } from "./geometry.ts"
import type { AnalysisNode } from "./reservations.ts"

const belongsTo = (node: AnalysisNode, tensor: string): boolean =>
  node.kind === "compute" || (node.kind === "loop" && !node.spatial) ||
  ((node.kind === "holder" || node.kind === "reservation") && node.tensor === tensor)

/** Re-sort every maximal run of consecutive loops into written order. */
const sortLoopRuns = (nodes: ReadonlyArray<AnalysisNode>): Array<AnalysisNode> => {
  const out: Array<AnalysisNode> = []
  let run: Array<LoopNode> = []
  const flush = () => {
    run.sort((a, b) => a.order - b.order)
    out.push(...run)
    run = []
  }
  for (const node of nodes) {
    if (node.kind === "loop") run.push(node)
    else {
      flush()
      out.push(node)
    }
  }
  flush()
  return out
}

/** A spatial loop may not move across a temporal loop on a rank variable relevant to the tensor. */
const checkNoRelevantSwap = (ordered: ReadonlyArray<AnalysisNode>, tensor: string, geometry: EinsumGeometry, einsum: string): void => {
  const relevancy = geometry.tensors.get(tensor)!.relevancy
  const loops = ordered.filter((n): n is LoopNode => n.kind === "loop")
  // Two plain reads per pair, not a destructured pair: this runs once per tensor of every template, mostly cold, where the pair's array and iterator cost (about 19 of 200 ms of eyeriss gpt3_6.7B prefill's symbolic analyses).
  for (let i = 0; i < loops.length; i++) {
    const a = loops[i]!
    for (let j = i + 1; j < loops.length; j++) {
      const b = loops[j]!
      if (a.spatial === b.spatial || a.rankVariable !== b.rankVariable || a.order < b.order) continue
      if (relevancy[geometry.indexOf.get(a.rankVariable)!] === "irrelevant") continue
      const spatial = a.spatial ? a : b
      throw new InvalidMappingError({
        reason: `for tensor ${tensor}, the spatial loop over ${spatial.rankVariable} on ${spatial.component}.${spatial.dimension} must act above a temporal loop over the same rank variable that is written above it; reorder the loops`,
        einsum,
        path: [...spatial.ref.path]
      })
    }
  }
}

/** The order tensor `tensor`'s pass analyses; `null` gives the loops-and-Compute pass. */
export const perTensorOrder = (
  nodes: ReadonlyArray<AnalysisNode>,
  tensor: string | null,
  geometry: EinsumGeometry,
  einsum: string
): ReadonlyArray<AnalysisNode> => {
  if (tensor === null) return nodes.filter((n) => n.kind === "loop" || n.kind === "compute")
  const spatial = nodes.filter((n): n is LoopNode => n.kind === "loop" && n.spatial)
  const placed = new Set<LoopNode>()
  const out: Array<AnalysisNode> = []
  for (const node of nodes) {
    if (!belongsTo(node, tensor)) continue
    if (node.kind === "holder" || node.kind === "compute") {
      for (const loop of spatial) {
        if (!placed.has(loop) && loop.level <= node.level) {
          out.push(loop)
          placed.add(loop)
        }
      }
    }
    out.push(node)
  }
  const ordered = sortLoopRuns(out)
  checkNoRelevantSwap(ordered, tensor, geometry, einsum)
  return ordered
}
