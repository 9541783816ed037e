/**
 * Spatial loops (FFM §2.5, §2.7): one `Spatial` per (fanout dimension, allowed rank variable),
 * placed just below the lowest storage node of a memory above the fanout node (so strictly
 * above a memory's own nodes when the memory itself fans out). Loops a constraint forces to 1
 * (`reuse`, `loop_bounds` of `== 1` / `<= 1`) are not generated at all; the other loop bounds
 * and `min_usage` are returned for the tile-shape stage.
 */
import type { ComputePath, ResolvedComparison, SetField } from "@effect-accelforge/core"
import type { EinsumFacts } from "./einsum-facts.ts"
import type { LoopSlot, MinUsage, TemplateNode } from "./template.ts"

export interface PendingLoopBound {
  readonly loops: ReadonlyArray<LoopSlot>
  readonly operator: string
  readonly value: number
}

const setMembers = (field: SetField): ReadonlySet<string> => field._tag === "Resolved" ? field.set.members : new Set()

const forcesOne = (c: ResolvedComparison): boolean => {
  const op = c.operator.replace(/^product/, "").trim()
  return (op === "==" && c.value === 1) || (op === "<=" && c.value <= 1) || (op === "<" && c.value <= 2)
}

/** Variables whose spatial loops on this dimension the constraints force to 1. */
const forcedToOne = (facts: EinsumFacts, reuse: SetField, bounds: ReadonlyArray<ResolvedComparison>): Set<string> => {
  const out = new Set<string>()
  for (const t of setMembers(reuse)) {
    for (const v of facts.rankVariables) if (facts.tensors.includes(t) && facts.relevancy(v, t) !== "irrelevant") out.add(v)
  }
  for (const b of bounds) if (forcesOne(b)) for (const v of setMembers(b.expression)) out.add(v)
  return out
}

const fullyRelevant = (facts: EinsumFacts, tensor: string) =>
  new Set(facts.rankVariables.filter((v) => facts.relevancy(v, tensor) === "relevant"))

/** Insert the spatial loops into `nodes` (storage and temporal loops so far), in arch order. */
export const insertSpatialLoops = (
  nodes: Array<TemplateNode>,
  arch: ComputePath,
  facts: EinsumFacts
): { bounds: Array<PendingLoopBound>; minUsage: Array<MinUsage> } => {
  const bounds: Array<PendingLoopBound> = []
  const minUsage: Array<MinUsage> = []
  arch.nodes.forEach((component, level) => {
    const dims = component.spatial.filter((s) => s.fanout > 1)
    if (dims.length === 0) return
    let position = 0
    nodes.forEach((n, i) => {
      if (n.kind === "storage" && n.level < level) position = i + 1
    })
    while (position < nodes.length && nodes[position]!.kind === "loop" && !(nodes[position] as LoopSlot).spatial) position++
    const storedAbove = new Set(nodes.slice(0, position).flatMap((n) => (n.kind === "storage" ? [n.tensor] : [])))
    let allowed = facts.rankVariables
    for (const t of facts.fusable) {
      if (storedAbove.has(t)) continue
      const keep = fullyRelevant(facts, t)
      allowed = allowed.filter((v) => keep.has(v))
    }
    const inserted: Array<LoopSlot> = []
    for (const dim of dims) {
      const forced = forcedToOne(facts, dim.reuse, dim.loopBounds)
      const loops: Array<LoopSlot> = allowed.filter((v) => !forced.has(v)).map((v) => ({
        kind: "loop", spatial: true, rankVariable: v, component: component.name, level, dimension: dim.name, fused: false
      }))
      inserted.push(...loops)
      for (const b of dim.loopBounds) {
        if (forcesOne(b)) continue
        const vars = setMembers(b.expression)
        const targets = loops.filter((l) => vars.has(l.rankVariable))
        if (targets.length > 0) bounds.push({ loops: targets, operator: b.operator, value: b.value })
      }
      if (dim.minUsage > 0 && !facts.isCopy) {
        minUsage.push({ component: component.name, dimension: dim.name, fanout: dim.fanout, minUsage: dim.minUsage })
      }
    }
    nodes.splice(position, 0, ...inserted)
  })
  return { bounds, minUsage }
}
