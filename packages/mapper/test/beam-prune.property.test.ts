/**
 * The beam join's pruner (join/beam-join.ts) keeps, of the exact front, the `width` rows of
 * lowest bound, ties broken by the tie-break bound then by front order, in ascending row order:
 * the same rows as sorting the whole front by (bound, tie-break, index) and taking the first
 * `width`. Small integer values make ties on both bounds common; calls reuse one pruner, as a
 * join does. It reports each front it cuts (a beam that cut none is the full join).
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { ObjectiveLowerBound } from "@effect-accelforge/model"
import { beamPrune } from "../src/join/beam-join.ts"
import { paretoFront } from "../src/pareto/index.ts"

const OBJECTIVES = 2
const sum: ObjectiveLowerBound = (v) => v[0]! + v[1]!
const second: ObjectiveLowerBound = (v) => v[1]!

/** The pick by a full sort of the front. */
const sorted = (columns: ReadonlyArray<Float64Array>, width: number, tieBound: ObjectiveLowerBound | undefined): Array<number> => {
  const front = [...paretoFront(columns, columns.map(() => "min"))]
  if (front.length <= width) return front
  const values = (row: number) => columns.slice(0, OBJECTIVES).map((c) => c[row]!)
  const score = front.map((row) => sum(values(row), [0, 0]))
  const tie = front.map((row) => (tieBound === undefined ? 0 : tieBound(values(row), [0, 0])))
  return Array.from(front.keys()).sort((x, y) => score[x]! - score[y]! || tie[x]! - tie[y]! || x - y).slice(0, width).sort((x, y) => x - y).map((i) => front[i]!)
}

const table = fc.integer({ min: 1, max: 60 }).chain((rows) =>
  fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: rows, maxLength: rows }), { minLength: 3, maxLength: 4 })
)

describe("the beam join's pruner", () => {
  it("keeps the front's rows a full sort by (bound, tie-break, index) keeps", () => {
    fc.assert(
      fc.property(fc.array(table, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 5 }), fc.boolean(), (tables, width, withTie) => {
        const tieBound = withTie ? second : undefined
        let cuts = 0
        const prune = beamPrune(OBJECTIVES, sum, tieBound, width, () => cuts++)
        for (const t of tables) {
          const columns = t.map((c) => Float64Array.from(c))
          const before = cuts
          expect([...prune(columns, columns.map(() => "min"))]).toEqual(sorted(columns, width, tieBound))
          expect(cuts - before).toBe(paretoFront(columns, columns.map(() => "min")).length > width ? 1 : 0)
        }
      }),
      { seed: 27, numRuns: 300 }
    )
  })
})
