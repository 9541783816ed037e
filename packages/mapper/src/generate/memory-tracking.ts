/**
 * Which memories need a usage column (FFM §3.9): a memory that could hold every tensor of every
 * Einsum at once can never overflow, so its usage never matters across Einsums; nor does the
 * usage of a memory that no template of any Einsum uses to back a tensor or keeps above a fused
 * loop (it is only ever live while its own Einsum runs, and each pmapping is checked alone).
 * With RESOURCE_USAGE every bounded memory is tracked.
 */
import type { EinsumContext } from "@effect-accelforge/core"
import type { Template } from "../template/template.ts"

/** The workload's tensors by name (their size in values). */
type TensorSizes = ReadonlyMap<string, { readonly size: number }>

/**
 * Bits every Einsum's tensors need in `memory`, a shared tensor once per Einsum using it: the
 * join keeps one copy per Einsum (each Einsum may buffer it apart), so a bound that counted it
 * once could leave a memory untracked that the join's accounting overflows.
 */
const workloadBits = (contexts: ReadonlyArray<EinsumContext>, tensors: TensorSizes, memory: string): number => {
  let held = 0
  for (const ctx of contexts) {
    const seen = new Set<string>()
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

/**
 * Whether some template places a backing node of `memory`, or a node of it with a fused loop
 * below (a buffer still live while a later Einsum runs under that loop).
 */
const liveAcrossEinsums = (templates: ReadonlyArray<ReadonlyArray<Template>>, memory: string): boolean =>
  templates.some((einsum) => einsum.some((template) => template.nodes.some((n, i) =>
    n.kind === "storage" && n.component === memory &&
    (n.backing || template.nodes.slice(i + 1).some((m) => m.kind === "loop" && m.fused))
  )))

/** Names of the memories whose usage the search must carry as a column; `templates` per Einsum. */
export const trackedMemories = (
  contexts: ReadonlyArray<EinsumContext>,
  tensors: TensorSizes,
  templates: ReadonlyArray<ReadonlyArray<Template>>,
  trackAll: boolean
): Array<string> => {
  const sizes = new Map<string, number>()
  for (const ctx of contexts) {
    for (const path of ctx.computePaths) {
      for (const node of path.nodes) {
        if (node.kind === "Memory" && node.size !== undefined && !sizes.has(node.name)) sizes.set(node.name, node.size)
      }
    }
  }
  return [...sizes].filter(([name, size]) => Number.isFinite(size) && (trackAll || (workloadBits(contexts, tensors, name) > size && liveAcrossEinsums(templates, name)))).map(([name]) => name)
}
