/**
 * Off-chip traffic of one Einsum: the bytes that cross the outermost memory's boundary. Each
 * read and write action of a tensor there is turned back into values (over the memory's
 * `actions_scale` and its values per action) and weighed by the tensor's bits per value at
 * that memory. The roofline's "bytes moved" and a sweep's ski-slope both read this one number
 * (EinsumSummary.offChipBytes).
 */
import type { EinsumContext, ResolvedComponent } from "@effect-accelforge/core"
import { actionsPerValue, bitsPerValueAt } from "../analysis/level-facts.ts"
import type { RawAction } from "./actions.ts"

/** Position of the outermost memory on a compute path (the first Memory), -1 when there is none. */
export const outermostMemoryLevel = (nodes: ReadonlyArray<ResolvedComponent>): number => nodes.findIndex((n) => n.kind === "Memory")

/** Bytes the `actions` (of one Einsum on the path `nodes`) move across the outermost memory; 0 without a memory. */
export const offChipBytes = (actions: ReadonlyArray<RawAction>, nodes: ReadonlyArray<ResolvedComponent>, ctx: EinsumContext): number => {
  const memory = nodes[outermostMemoryLevel(nodes)]
  if (memory === undefined) return 0
  let bits = 0
  for (const a of actions) {
    if (a.component !== memory.name || a.tensor === null || (a.action !== "read" && a.action !== "write") || a.value === 0) continue
    const perValue = actionsPerValue(memory, a.action, ctx, a.tensor)
    if (perValue === 0) continue
    bits += (a.value / memory.actionsScale / perValue) * bitsPerValueAt(memory, ctx, a.tensor)
  }
  return bits / 8
}
