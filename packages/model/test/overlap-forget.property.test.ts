/**
 * What the join's rows forget and fold (docs/overlapped-latency.md §7, rules 1-6,
 * `forgetOpenLevels`) never changes a latency: a random fused tree folded level by level as the join folds it (every
 * open level forgotten after every step) gives the latency of the model's walk of the same tree
 * (compose/timeline.ts, which forgets nothing).
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  appendStage, closeIntoParent, einsumStage, emptyLevel, type EinsumBusy, forgetOpenLevels, type FusedTree, levelLatency, levelSize, timeline
} from "../src/index.ts"

const C = 3
/** DRAM (component 0) may hold deferred work; SRAM and MAC never do (rule 1 drops their queues). */
const DEFERRING = Uint8Array.from([1, 0, 0])
const MAX_DEPTH = 4

interface Leaf { readonly kind: "leaf"; readonly work: ReadonlyArray<readonly [number, number]> }
interface Group { readonly kind: "group"; readonly iterations: number; readonly stages: ReadonlyArray<Node> }
type Node = Leaf | Group

const work = fc.integer({ min: 0, max: 8 })
const leafArb: fc.Arbitrary<Node> = fc.tuple(fc.tuple(work, work), fc.tuple(work, fc.constant(0)), fc.tuple(work, fc.constant(0)))
  .map((w) => ({ kind: "leaf", work: w }))
const treeArb = (depth: number): fc.Arbitrary<Node> =>
  depth === 0
    ? leafArb
    : fc.oneof(
      leafArb,
      fc.record({ iterations: fc.integer({ min: 1, max: 4 }), stages: fc.array(treeArb(depth - 1), { minLength: 1, maxLength: 3 }) })
        .map((g): Node => ({ kind: "group", ...g }))
    )

/**
 * The join's way: one record per open level, forgotten after every step. Open, as the join
 * sees it after a node, are the levels down to the deepest whose group has stages still to come
 * (`open`): the join closes a level as soon as no later Einsum shares its loop, and the rules
 * rely on every open level receiving another stage before it closes.
 */
const folded = (root: Node, pipelining: boolean): number => {
  const size = levelSize(C)
  const levels = new Float64Array((MAX_DEPTH + 2) * size)
  const stage = new Float64Array(size)
  // The loop count of each open level (the root's is 1).
  const loops = [1]
  const forget = (depth: number) => forgetOpenLevels(levels, 0, C, DEFERRING, pipelining, depth, loops)
  const walk = (node: Node, depth: number, invocations: number, open: number): void => {
    if (node.kind === "leaf") {
      const critical = node.work.map(([k]) => k * invocations)
      const busy = node.work.map(([k, d]) => (k + d) * invocations)
      einsumStage(stage, 0, C, critical, 0, busy, 0, invocations)
      appendStage(levels, depth * size, stage, 0, C)
    } else {
      const at = (depth + 1) * size
      emptyLevel(levels, at, C)
      loops[depth + 1] = node.iterations
      node.stages.forEach((s, k) => walk(s, depth + 1, invocations * node.iterations, k < node.stages.length - 1 ? depth + 1 : open))
      closeIntoParent(levels, at, depth * size, C, node.iterations, pipelining, depth === 0, loops[depth]!)
    }
    forget(open)
  }
  emptyLevel(levels, 0, C)
  walk(root, 0, 1, 0)
  return levelLatency(levels, 0, C)
}

/** The model's way (compose/timeline.ts): the same tree, nothing forgotten. */
const walked = (root: Node, pipelining: boolean): number => {
  const einsums: Array<EinsumBusy> = []
  // A loop of one iteration repeats nothing: its stages are its parent's (as the join places them).
  const trees = (node: Node, invocations: number): Array<FusedTree> => {
    if (node.kind === "leaf") {
      einsums.push({ critical: node.work.map(([k]) => k * invocations), busy: node.work.map(([k, d]) => (k + d) * invocations) })
      return [{ kind: "einsum", einsum: einsums.length - 1, invocations }]
    }
    const stages = node.stages.flatMap((s) => trees(s, invocations * node.iterations))
    return node.iterations === 1 ? stages : [{ kind: "group", iterations: node.iterations, pipelined: pipelining, stages }]
  }
  const stages = trees(root, 1)
  return timeline({ kind: "group", iterations: 1, pipelined: false, stages }, einsums).latency
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, a, b)

describe("what the join's rows forget never changes the latency", () => {
  for (const [mode, pipelining] of [["writeback", false], ["pipeline", true]] as const) {
    it(`mode ${mode}`, () => {
      fc.assert(
        fc.property(treeArb(MAX_DEPTH), (root) => {
          const a = folded(root, pipelining)
          const b = walked(root, pipelining)
          expect(close(a, b), `folded ${a}, walked ${b}: ${JSON.stringify(root)}`).toBe(true)
        }),
        { numRuns: 600, seed: 1517 }
      )
    })
  }
})
