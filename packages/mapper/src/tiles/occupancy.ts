/**
 * Where each storage slot's capacity is reserved and how big its tile is there, for the
 * capacity check during tile enumeration. Mirrors the model's rule (a backing or Toll slot
 * reserves right below itself; a lower slot's reservation sinks through loops relevant to its
 * tensor and its own memory's spatial loops, stopping at an irrelevant loop and just below a
 * partially relevant one), so occupancy here equals the model's.
 */
import type { EinsumContext } from "@effect-accelforge/core"
import { compileGeometry, type EinsumGeometry, type TensorGeometry, tileValues } from "@effect-accelforge/model"
import type { EinsumFacts } from "../template/einsum-facts.ts"
import type { StorageSlot, Template } from "../template/template.ts"

export interface SlotOccupancy {
  readonly slot: StorageSlot
  /** Index of the memory among the template's capacity-checked memories. */
  readonly memory: number
  readonly bitsPerValue: number
  /** Persistent tensors are held once per Einsum instance. */
  readonly scale: number
  /** The tensor's projection, as the model compiles it. */
  readonly tensor: TensorGeometry
  /** Per rank variable of the geometry: the loop (index into the template's loops) whose tile bounds this slot's tile, or -1 (the full bound). */
  readonly boundingLoop: Int32Array
}

export interface CapacityModel {
  readonly geometry: EinsumGeometry
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

export const capacityModel = (template: Template, ctx: EinsumContext, facts: EinsumFacts): CapacityModel => {
  const geometry = compileGeometry(ctx)
  const memories: Array<{ level: number; component: string; size: number }> = []
  const memoryIndex = new Map<number, number>()
  const loopIndexAt = new Map<number, number>()
  template.loopPositions.forEach((p, i) => loopIndexAt.set(p, i))
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
    const boundingLoop = new Int32Array(geometry.rankVariables.length).fill(-1)
    for (let j = 0; j < reservedAt; j++) {
      const n = template.nodes[j]!
      if (n.kind === "loop") boundingLoop[geometry.indexOf.get(n.rankVariable)!] = loopIndexAt.get(j)!
    }
    slots.push({
      slot: node,
      memory: memoryIndex.get(node.level)!,
      bitsPerValue: component.bitsPerValue.get(node.tensor) ?? ctx.bitsPerValue.get(node.tensor) ?? 8,
      scale: node.persistent ? ctx.einsum.nInstances : 1,
      tensor: geometry.tensors.get(node.tensor)!,
      boundingLoop
    })
  })
  return { geometry, memories, slots }
}

/** Bits held by one slot, with `extent[v]` the tile of each geometry rank variable (the model's dense tile occupancy). */
export const slotBits = (s: SlotOccupancy, extent: ArrayLike<number>): number => tileValues(s.tensor, extent) * s.bitsPerValue * s.scale
