/**
 * A fused tree of Einsums evaluated under an overlap mode (docs/overlapped-latency.md): its
 * latency, and what sets it: each Einsum's first start and last end on the critical path, the
 * deferred work drained after the critical path ends, each component's total busy time. The
 * formulas are compose/overlap.ts; this walks the tree with them.
 */
import { einsumNode, type NodeTimes, pipelinedGroup, pipelinePeriod, sequentialGroup, workloadLatency } from "./overlap.ts"

/**
 * A fused mapping as the overlap modes see it: Einsum leaves (indices into the workload's
 * Einsums) under groups that repeat their stages `iterations` times, in sequence or pipelined
 * (the mode decided which when the tree was built).
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
  readonly times: NodeTimes
  /** Per Einsum: first start and last end, relative to the start of one invocation of the node. */
  readonly spans: Map<number, Span>
}

const place = (node: FusedTree, einsums: ReadonlyArray<EinsumBusy>): Placed => {
  if (node.kind === "einsum") {
    const e = einsums[node.einsum]!
    const times = einsumNode(e.critical, e.busy, node.invocations)
    return { times, spans: new Map([[node.einsum, { start: 0, end: times.t }]]) }
  }
  const stages = node.stages.map((s) => place(s, einsums))
  const stageTimes = stages.map((s) => s.times)
  const pipelined = node.pipelined && node.iterations > 1
  const times = pipelined ? pipelinedGroup(stageTimes, node.iterations) : sequentialGroup(stageTimes, node.iterations)
  // The last iteration of a stage starts (n − 1) steps after its first: a period pipelined, a whole iteration in sequence.
  const step = pipelined ? pipelinePeriod(stageTimes) : stageTimes.reduce((sum, s) => sum + s.t, 0)
  const spans = new Map<number, Span>()
  let offset = 0
  for (const stage of stages) {
    for (const [e, span] of stage.spans) spans.set(e, { start: offset + span.start, end: (node.iterations - 1) * step + offset + span.end })
    offset += stage.times.t
  }
  return { times, spans }
}

/** The root is one invocation of the whole tree. */
export const timeline = (tree: FusedTree, einsums: ReadonlyArray<EinsumBusy>): Timeline => {
  const root = place(tree, einsums)
  return {
    latency: workloadLatency(root.times),
    criticalPath: root.times.t,
    spans: einsums.map((_, e) => root.spans.get(e)),
    busy: root.times.busy
  }
}
