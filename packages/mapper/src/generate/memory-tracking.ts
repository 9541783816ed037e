/**
 * Which memories need a usage column (FFM §3.9): a memory that could hold every tensor of the
 * workload at once can never overflow, so its usage never matters across Einsums; with
 * RESOURCE_USAGE every bounded memory is tracked.
 */
import type { EinsumContext } from "@effect-accelforge/core"

/** The workload's tensors by name (their size in values). */
type TensorSizes = ReadonlyMap<string, { readonly size: number }>

/** Bits every tensor of the workload needs in `memory` (each tensor counted once). */
const workloadBits = (contexts: ReadonlyArray<EinsumContext>, tensors: TensorSizes, memory: string): number => {
  let held = 0
  const seen = new Set<string>()
  for (const ctx of contexts) {
    const node = ctx.components.find((c) => c.name === memory)
    for (const a of ctx.einsum.accesses) {
      if (seen.has(a.tensor)) continue
      seen.add(a.tensor)
      const bpv = node?.bitsPerValue.get(a.tensor) ?? ctx.bitsPerValue.get(a.tensor) ?? 8
      const scale = ctx.persistentTensors.has(a.tensor) || a.persistent ? ctx.einsum.nInstances : 1
      held += tensors.get(a.tensor)!.size * bpv * scale
    }
  }
  return held
}

/** Names of the memories whose usage the search must carry as a column. */
export const trackedMemories = (contexts: ReadonlyArray<EinsumContext>, tensors: TensorSizes, trackAll: boolean): Array<string> => {
  const sizes = new Map<string, number>()
  for (const ctx of contexts) {
    for (const path of ctx.computePaths) {
      for (const node of path.nodes) {
        if (node.kind === "Memory" && node.size !== undefined && !sizes.has(node.name)) sizes.set(node.name, node.size)
      }
    }
  }
  return [...sizes].filter(([name, size]) => Number.isFinite(size) && (trackAll || workloadBits(contexts, tensors, name) > size)).map(([name]) => name)
}
