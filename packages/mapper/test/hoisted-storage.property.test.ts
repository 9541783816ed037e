/**
 * `hoistedStorage` counts each node once over all branches (linear in the branches); the
 * reference below is the pairwise rule it replaced, written as the module comment states it.
 * Random branches of a few distinct storage, toll and loop nodes (so that nodes recur across
 * branches, as a shared tensor's buffer does) and random tensor users: the same nodes, in the
 * same order.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { MappingNode } from "@effect-accelforge/core"
import { hoistedStorage } from "../src/result/fused-mapping.ts"

const same = (a: MappingNode, b: MappingNode): boolean => JSON.stringify(a) === JSON.stringify(b)

/** Storage nodes that two or more branches place first, unless a branch places them later or uses their tensor without them. */
const pairwiseHoist = (branches: ReadonlyArray<ReadonlyArray<MappingNode>>, users: ReadonlyArray<ReadonlySet<string>>): Array<MappingNode> => {
  const leading = branches.map((b) => {
    const firstLoop = b.findIndex((n) => n.$tag !== "Storage" && n.$tag !== "Toll")
    return b.slice(0, firstLoop < 0 ? b.length : firstLoop).filter((n) => n.$tag === "Storage")
  })
  const out: Array<MappingNode> = []
  leading.forEach((nodes, i) => {
    for (const n of nodes) {
      if (out.some((m) => same(m, n))) continue
      const inOthers = leading.filter((other, j) => j !== i && other.some((m) => same(m, n))).length
      const elsewhere = branches.some((b, j) => !leading[j]!.some((m) => same(m, n)) && b.some((m) => same(m, n)))
      const tensors = n.$tag !== "Storage" ? [] : typeof n.tensors === "string" ? [n.tensors] : n.tensors
      const unheld = users.some((used, j) => !leading[j]!.some((m) => same(m, n)) && tensors.some((t) => used.has(t)))
      if (inOthers > 0 && !elsewhere && !unheld) out.push(n)
    }
  })
  return out
}

const TENSORS = ["A", "B", "C"]
const storage = fc.record({
  $tag: fc.constant("Storage" as const),
  tensors: fc.oneof(fc.constantFrom(...TENSORS), fc.subarray(TENSORS, { minLength: 1 })),
  component: fc.constantFrom("Main", "Buffer"),
  persistent: fc.constant(false)
})
const toll = fc.record({ $tag: fc.constant("Toll" as const), tensors: fc.constantFrom(...TENSORS), component: fc.constant("Buffer") })
const loop = fc.record({ $tag: fc.constant("Temporal" as const), rank_variable: fc.constantFrom("m", "n"), tile_shape: fc.constantFrom(1, 4) })
/** Fresh objects each time (equal nodes are equal by value, never by identity, as in a real mapping). */
const node = fc.oneof({ arbitrary: storage, weight: 3 }, toll, loop) as fc.Arbitrary<MappingNode>
const branch = fc.array(node, { maxLength: 6 })

describe("hoistedStorage", () => {
  it("hoists what the pairwise rule hoists, in its order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(branch, fc.subarray(TENSORS)), { minLength: 2, maxLength: 6 }),
        (members) => {
          const branches = members.map(([b]) => b)
          const users = members.map(([, used]) => new Set(used))
          expect(hoistedStorage(branches, users)).toEqual(pairwiseHoist(branches, users))
        }
      ),
      { numRuns: 2000 }
    )
  })
})
