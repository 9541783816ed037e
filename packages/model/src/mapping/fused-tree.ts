/**
 * The fused tree of a mapping as the overlap modes see it (docs/overlapped-latency.md §2): one
 * group per fused temporal loop of more than one iteration, whose stages are what runs directly
 * inside it (Einsums, deeper groups). Branching nodes only say which Einsums share which loops
 * (and `!Pipeline` asks for a pipeline); a branching node with no such loop above it inside its
 * parent's adds its branches to the parent's stages. An Einsum's invocations are the temporal
 * loops above its last branching node; loops below it are the Einsum's own. Spatial loops run at
 * the same time, not one after the other, so they repeat nothing.
 */
import type { EinsumAnalysisResult } from "../analysis/analyze-einsum.ts"
import type { OverlapMode } from "../compose/composition.ts"
import type { FusedTree } from "../compose/timeline.ts"
import type { EinsumPath } from "./split.ts"

interface Member {
  readonly index: number
  readonly path: EinsumPath
  /** Iterations of each temporal loop of the path, by its mapping node. */
  readonly loopCount: ReadonlyMap<unknown, number>
}

/** The iteration counts of the temporal loops of more than one iteration between two positions of a path. */
const temporalCounts = (m: Member, from: number, to: number): Array<number> =>
  m.path.nodes.slice(from, to).flatMap((n) => {
    const count = m.loopCount.get(n.node)
    return count === undefined || count <= 1 ? [] : [count]
  })

/**
 * Whether a group may pipeline its stages: in mode `pipeline` every one, in mode `writeback`
 * those a `!Pipeline` node asks for; in mode `none` none (AccelForge's numbers for every mapping).
 */
const pipelines = (mode: OverlapMode, tag: string): boolean => mode === "pipeline" || (mode === "writeback" && tag === "Pipeline")

const leaf = (m: Member): FusedTree => {
  const last = m.path.branches[m.path.branches.length - 1]
  const invocations = temporalCounts(m, 0, last?.depth ?? 0).reduce((p, n) => p * n, 1)
  return { kind: "einsum", einsum: m.index, invocations }
}

/** The stages of the group at branching level `level` (−1: the root), whose nodes start at `from`. */
const stagesOf = (members: ReadonlyArray<Member>, level: number, from: number, mode: OverlapMode): Array<FusedTree> => {
  const out: Array<FusedTree> = []
  for (let i = 0; i < members.length;) {
    const branch = members[i]!.path.branches[level + 1]
    if (branch === undefined) {
      out.push(leaf(members[i]!))
      i++
      continue
    }
    let j = i
    while (j < members.length && members[j]!.path.branches[level + 1]?.node === branch.node) j++
    const inside = members.slice(i, j)
    const loops = temporalCounts(inside[0]!, from, branch.depth)
    const stages = stagesOf(inside, level + 1, branch.depth, mode)
    const innermost = loops.pop()
    if (innermost === undefined) {
      out.push(...stages)
      i = j
      continue
    }
    let node: FusedTree = { kind: "group", iterations: innermost, pipelined: pipelines(mode, branch.node.$tag), stages }
    for (const n of loops.reverse()) node = { kind: "group", iterations: n, pipelined: false, stages: [node] }
    out.push(node)
    i = j
  }
  return out
}

/** The fused tree of analysed Einsums (in tree order; leaves are indices into `analyses`). */
export const fusedTree = (analyses: ReadonlyArray<EinsumAnalysisResult>, mode: OverlapMode): FusedTree => {
  const members = analyses.map((a, index): Member => ({
    index,
    path: a.pmapping.path,
    loopCount: new Map(a.pmapping.loops.filter((l) => !l.spatial).map((l) => [l.ref.node, a.counts.n[l.order]!]))
  }))
  return { kind: "group", iterations: 1, pipelined: false, stages: stagesOf(members, -1, 0, mode) }
}
