/**
 * Where each storage slot's capacity is reserved and how big its tile is there, for the
 * capacity check during tile enumeration. Mirrors the model's rule (a backing or Toll slot
 * reserves right below itself; a lower slot's reservation sinks through loops relevant to its
 * tensor and its own memory's spatial loops, stopping at an irrelevant loop and just below a
 * partially relevant one), so occupancy here equals the model's.
 */
import type { EinsumContext } from "@effect-accelforge/core"
import type { EinsumFacts } from "../template/einsum-facts.ts"
import type { StorageSlot, Template } from "../template/template.ts"

export interface CompiledRankTerm {
  readonly constant: number
  /** Loop-variable indices (into the Einsum's rank-variable list) and their coefficients. */
  readonly variables: Int32Array
  readonly coefficients: Float64Array
}

export interface SlotOccupancy {
  readonly slot: StorageSlot
  /** Index of the memory among the template's capacity-checked memories. */
  readonly memory: number
  readonly bitsPerValue: number
  /** Persistent tensors are held once per Einsum instance. */
  readonly scale: number
  readonly ranks: ReadonlyArray<CompiledRankTerm>
  /** Per rank variable (by index): the loop (index into the template's loops) whose tile bounds this slot's tile, or -1 (the full bound). */
  readonly boundingLoop: Int32Array
}

export interface CapacityModel {
  /** Levels (in the flattened arch) of the memories with a finite size. */
  readonly memories: ReadonlyArray<{ readonly level: number; readonly component: string; readonly size: number }>
  readonly slots: ReadonlyArray<SlotOccupancy>
}

const reservationPosition = (template: Template, at: number, facts: EinsumFacts): number => {
  const slot = template.nodes[at] as StorageSlot
  if (slot.backing || slot.toll) return at + 1
  for (let j = at + 1; j < template.nodes.length; j++) {
    const node = template.nodes[j]!
    if (node.kind !== "loop") return j
    if (node.spatial) {
      if (node.component !== slot.component) return j
      continue
    }
    const r = facts.relevancy(node.rankVariable, slot.tensor)
    if (r === "irrelevant") return j
    if (r === "partially-relevant") return j + 1
  }
  return template.nodes.length
}

export const capacityModel = (template: Template, ctx: EinsumContext, facts: EinsumFacts, variables: ReadonlyArray<string>): CapacityModel => {
  const memories: Array<{ level: number; component: string; size: number }> = []
  const memoryIndex = new Map<number, number>()
  const loopIndexAt = new Map<number, number>()
  template.loopPositions.forEach((p, i) => loopIndexAt.set(p, i))
  const variableIndex = new Map(variables.map((v, i) => [v, i] as const))
  const slots: Array<SlotOccupancy> = []
  template.nodes.forEach((node, at) => {
    if (node.kind !== "storage" || node.toll) return
    const component = template.arch.nodes[node.level]!
    const size = component.size ?? Infinity
    if (!Number.isFinite(size)) return
    if (!memoryIndex.has(node.level)) {
      memoryIndex.set(node.level, memories.length)
      memories.push({ level: node.level, component: component.name, size })
    }
    const reservedAt = reservationPosition(template, at, facts)
    const boundingLoop = new Int32Array(variables.length).fill(-1)
    for (let j = 0; j < reservedAt; j++) {
      const n = template.nodes[j]!
      if (n.kind === "loop") {
        const v = variableIndex.get(n.rankVariable)
        if (v !== undefined) boundingLoop[v] = loopIndexAt.get(j)!
      }
    }
    const access = ctx.einsum.accesses.find((a) => a.tensor === node.tensor)!
    const ranks = access.projection.map((p) => ({
      constant: p.affine.constant,
      variables: Int32Array.from(p.affine.terms.map((t) => variableIndex.get(t.variable) ?? -1)),
      coefficients: Float64Array.from(p.affine.terms.map((t) => t.coefficient))
    }))
    slots.push({
      slot: node,
      memory: memoryIndex.get(node.level)!,
      bitsPerValue: component.bitsPerValue.get(node.tensor) ?? ctx.bitsPerValue.get(node.tensor) ?? 8,
      scale: node.persistent ? ctx.einsum.nInstances : 1,
      ranks,
      boundingLoop
    })
  })
  return { memories, slots }
}

/**
 * Bits held by one slot, with `extent[v]` the tile of each rank variable (a variable whose
 * bounding loop is not yet known passes its smallest possible tile, 1, for a lower bound).
 */
export const slotBits = (s: SlotOccupancy, extent: ArrayLike<number>): number => {
  let values = 1
  for (const rank of s.ranks) {
    let v = rank.constant
    for (let k = 0; k < rank.variables.length; k++) {
      const index = rank.variables[k]!
      v += rank.coefficients[k]! * ((index < 0 ? 1 : extent[index]!) - 1)
    }
    values *= v + 1
  }
  return values * s.bitsPerValue * s.scale
}
