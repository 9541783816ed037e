/**
 * The narrow beam's group cut (join/best-groups.ts) keeps `count` groups, in the join's order,
 * and no dropped group's best row has a lower bound than a kept one's (equal bounds: the earlier
 * group stays); it reports a cut exactly when it drops some (a beam that cut none may be the
 * full join). The bound here adds the open loops' count, so a group's fused nest counts as in
 * the join. Small integer values make ties common.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { ObjectiveLowerBound } from "@effect-accelforge/model"
import { bestGroups } from "../src/join/best-groups.ts"
import { StepBound } from "../src/join/join-bound.ts"
import type { JoinGroup } from "../src/join/join-group.ts"

const NO_UPPER = { objective: Infinity, tie: Infinity }
const withOpenLoops: ObjectiveLowerBound = (v, rest, open = []) => v[0]! + rest[0]! + v[1]! + rest[1]! + open.length
const bound = new StepBound(withOpenLoops, undefined, Float64Array.of(0, 0), NO_UPPER)

/** A group with only what the cut reads: its objective columns and its fused nest (`depth` loops). */
const group = (rows: ReadonlyArray<readonly [number, number]>, depth: number): JoinGroup => {
  const loop = { rank: "M", spatial: false, dimension: "m", iterations: 2 }
  const tensors = [{ tensor: "T", component: "buffer", persistent: false, loops: Array.from({ length: depth }, () => loop) }]
  return {
    compatibility: { tensors },
    rows: rows.length,
    objectives: [Float64Array.from(rows, (r) => r[0]), Float64Array.from(rows, (r) => r[1])]
  } as unknown as JoinGroup
}

/** The least bound of any row of the group, as the reference computes it. */
const score = (g: JoinGroup): number => {
  const depth = g.compatibility.tensors[0]!.loops.length
  let best = Infinity
  for (let r = 0; r < g.rows; r++) best = Math.min(best, g.objectives[0]![r]! + g.objectives[1]![r]! + depth)
  return best
}

const row = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }))
const groupArbitrary = fc.tuple(fc.array(row, { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 2 })).map(([rows, depth]) => group(rows, depth))

describe("the narrow beam's group cut", () => {
  it("keeps the count groups of lowest best-row bound, in order, and reports a cut when it drops any", () => {
    fc.assert(
      fc.property(fc.array(groupArbitrary, { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 12 }), (groups, count) => {
        let cuts = 0
        const kept = bestGroups(count, () => cuts++)(groups, bound)
        expect(kept.length).toBe(Math.min(count, groups.length))
        expect(cuts).toBe(groups.length > count ? 1 : 0)
        const indices = kept.map((g) => groups.indexOf(g))
        expect(indices).toEqual([...indices].sort((x, y) => x - y))
        const keptSet = new Set(indices)
        for (const i of indices) {
          for (let d = 0; d < groups.length; d++) {
            if (keptSet.has(d)) continue
            const [k, o] = [score(groups[i]!), score(groups[d]!)]
            expect(k < o || (k === o && i < d)).toBe(true)
          }
        }
      }),
      { seed: 28, numRuns: 300 }
    )
  })
})
