/**
 * Where each holder's capacity is reserved (model §1.5). A tensor's backing holder reserves
 * directly below itself. A lower holder's reservation sinks through the loops that do not
 * change what it must hold at once: temporal loops Relevant to the tensor, and spatial loops
 * of its own memory. Occupancy is measured at the reservation; access counts at the holder.
 */
import type { EinsumGeometry } from "./geometry.ts"
import type { HolderNode, PmappingNode } from "../mapping/pmapping.ts"

export interface ReservationMark {
  readonly kind: "reservation"
  readonly tensor: string
  readonly holder: HolderNode
}

export type AnalysisNode = PmappingNode | ReservationMark

/** Index (in `nodes`) before which the reservation of the holder at `at` goes. */
const reservationPosition = (nodes: ReadonlyArray<PmappingNode>, at: number, geometry: EinsumGeometry, lowerable: boolean): number => {
  const holder = nodes[at] as HolderNode
  if (holder.backing || holder.toll || !lowerable) return at + 1
  const tensor = geometry.tensors.get(holder.tensor)!
  for (let j = at + 1; j < nodes.length; j++) {
    const node = nodes[j]!
    if (node.kind !== "loop") return j
    if (node.spatial) {
      if (node.component !== holder.component) return j
      continue
    }
    const relevancy = tensor.relevancy[geometry.indexOf.get(node.rankVariable)!]
    if (relevancy === "irrelevant") return j
    if (relevancy === "partially-relevant") return j + 1
  }
  return nodes.length
}

/**
 * The pmapping with the model's own reservation marks inserted. `lowerable: false` keeps every
 * reservation directly below its holder (copy Einsums: every holder has `_lower = False`).
 */
export const insertReservations = (
  nodes: ReadonlyArray<PmappingNode>,
  geometry: EinsumGeometry,
  lowerable = true
): ReadonlyArray<AnalysisNode> => {
  const before = new Map<number, Array<ReservationMark>>()
  nodes.forEach((node, i) => {
    if (node.kind !== "holder") return
    const position = reservationPosition(nodes, i, geometry, lowerable)
    const list = before.get(position) ?? []
    list.push({ kind: "reservation", tensor: node.tensor, holder: node })
    before.set(position, list)
  })
  const out: Array<AnalysisNode> = []
  for (let i = 0; i <= nodes.length; i++) {
    for (const mark of before.get(i) ?? []) out.push(mark)
    const node = nodes[i]
    if (node !== undefined) out.push(node)
  }
  return out
}
