/**
 * A fused tree of Einsums evaluated under an overlap mode (docs/overlapped-latency.md): its
 * latency, and what sets it: each Einsum's first start and last end on the critical path, each
 * component's total busy time. The formulas are compose/overlap.ts; this walks the tree with them.
 */
import { appendStage, closeLevel, einsumStage, emptyLevel, levelBusy, levelLatency, levelSize, pipelinePeriod, pipelines, T } from "./overlap.ts"

/**
 * A fused mapping as the overlap modes see it: Einsum leaves (indices into the workload's
 * Einsums) under groups, one per fused temporal loop of more than one iteration, that repeat
 * their stages `iterations` times; `pipelined` says whether the mode asks the group to pipeline
 * (it does when it has two stages). The root is a group of one iteration.
 */
export type FusedTree =
  | { readonly kind: "einsum"; readonly einsum: number; readonly invocations: number }
  | { readonly kind: "group"; readonly iterations: number; readonly pipelined: boolean; readonly stages: ReadonlyArray<FusedTree> }

/** One Einsum's critical and total busy time per component, over the whole workload, in one shared component order. */
export interface EinsumBusy {
  readonly critical: ArrayLike<number>
  readonly busy: ArrayLike<number>
}

export interface Span {
  readonly start: number
  readonly end: number
}

export interface Timeline {
  readonly latency: number
  /** When the last Einsum leaves the critical path. */
  readonly criticalPath: number
  /** Per Einsum index: its first start and its last end on the critical path (undefined if not in the tree). */
  readonly spans: ReadonlyArray<Span | undefined>
  /** Per component: its total busy time, the floor of any schedule. */
  readonly busy: Float64Array
}

interface Placed {
  /** The node as one stage (a group closed). */
  readonly stage: Float64Array
  /** Per Einsum: first start and last end, relative to the start of one invocation of the node. */
  readonly spans: Map<number, Span>
}

const place = (node: FusedTree, einsums: ReadonlyArray<EinsumBusy>, components: number): Placed => {
  const stage = new Float64Array(levelSize(components))
  if (node.kind === "einsum") {
    const e = einsums[node.einsum]!
    einsumStage(stage, 0, components, e.critical, 0, e.busy, 0, node.invocations)
    return { stage, spans: new Map([[node.einsum, { start: 0, end: stage[T]! }]]) }
  }
  emptyLevel(stage, 0, components)
  const offsets: Array<number> = []
  const inner = node.stages.map((s) => {
    const placed = place(s, einsums, components)
    offsets.push(stage[T]!)
    appendStage(stage, 0, placed.stage, 0, components)
    return placed
  })
  // The last iteration of a stage starts (n − 1) steps after its first: a period pipelined, a whole iteration in sequence.
  const step = node.pipelined && pipelines(stage, 0, node.iterations) ? pipelinePeriod(stage, 0, components) : stage[T]!
  const spans = new Map<number, Span>()
  inner.forEach((placed, k) => {
    for (const [e, span] of placed.spans) spans.set(e, { start: offsets[k]! + span.start, end: (node.iterations - 1) * step + offsets[k]! + span.end })
  })
  closeLevel(stage, 0, components, node.iterations, node.pipelined)
  return { stage, spans }
}

/** The root is one invocation of the whole tree. */
export const timeline = (tree: FusedTree, einsums: ReadonlyArray<EinsumBusy>): Timeline => {
  const components = einsums[0]?.busy.length ?? 0
  const root = place(tree, einsums, components)
  return {
    latency: levelLatency(root.stage, 0, components),
    criticalPath: root.stage[T]!,
    spans: einsums.map((_, e) => root.spans.get(e)),
    busy: Float64Array.from({ length: components }, (_, c) => levelBusy(root.stage, 0, components, c))
  }
}
