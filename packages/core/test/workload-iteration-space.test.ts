import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { parseAffine } from "../src/workload/affine.ts"
import {
  boundOf,
  buildIterationSpace,
  imageExtent,
  imageRange,
  type LinearConstraint,
  parseConstraints,
  pointCount,
  rankSizeConstraints
} from "../src/workload/iteration-space.ts"
import { err, ok } from "./workload-helpers.ts"

const constraints = (...isl: ReadonlyArray<string>): ReadonlyArray<LinearConstraint> => isl.flatMap((s) => ok(parseConstraints(s)))

describe("ISL constraint parsing", () => {
  it("splits chains and conjunctions into inequalities", () => {
    const cs = ok(parseConstraints("0 <= m < 128"))
    expect(cs.map((c) => c.relation)).toEqual(["nonnegative", "nonnegative"])
    const space = ok(buildIterationSpace(["m"], cs))
    expect(space.ranges).toEqual([{ variable: "m", min: 0, max: 127 }])
    expect(ok(parseConstraints("0 <= r0 < 3 and 0 <= s0 < 3"))).toHaveLength(4)
    expect(ok(parseConstraints("0 <= r0 < 3 AND s0 >= 0 && s0 <= 2"))).toHaveLength(4)
  })
  it("supports every comparison", () => {
    const space = ok(buildIterationSpace(["a", "b", "c", "d"], constraints("a >= 2", "a <= 5", "b > 1", "b < 4", "c == 7", "d = a + 1")))
    expect(space.ranges.map((r) => [r.variable, r.min, r.max])).toEqual([["a", 2, 5], ["b", 2, 3], ["c", 7, 7], ["d", 3, 6]])
    expect(boundOf(space, "d")).toBe(4)
    expect(boundOf(space, "nope")).toBe(0)
  })
  it("rejects what it can't represent", () => {
    expect(err(parseConstraints("0 <= m < 4 or m = 9"))).toContain("disjunctions")
    expect(err(parseConstraints("m != 3"))).toContain("!=")
    expect(err(parseConstraints("m"))).toContain("without a comparison")
    expect(err(parseConstraints("0 <= m*n < 4"))).toContain("not affine")
    expect(err(parseConstraints("0 <= m < 4 and"))).toContain("empty condition")
  })
})

describe("bounds by propagation", () => {
  it("propagates through affine constraints to a fixed point", () => {
    // p1 bounded only through q = p1 + 1 and q < 5
    const space = ok(buildIterationSpace(["p1", "q"], constraints("q = p1 + 1", "0 <= p1", "q < 5")))
    expect(space.ranges.map((r) => [r.min, r.max])).toEqual([[0, 3], [1, 4]])
    expect(space.isBox).toBe(false)
  })
  it("a conv window: non-box constraint, bounding box ranges", () => {
    const p = ok(parseAffine("p + r"))
    const cs = [...constraints("0 <= p < 28", "0 <= r < 3"), ...rankSizeConstraints(p, 28, "0 <= p + r < 28")]
    const space = ok(buildIterationSpace(["p", "r"], cs))
    expect(space.ranges.map((r) => r.max - r.min + 1)).toEqual([28, 3])
    expect(space.isBox).toBe(false)
    expect(pointCount(space)).toBe(84)
    expect(imageRange(space, p)).toEqual({ min: 0, max: 27 })
  })
  it("redundant multi-variable constraints keep it a box", () => {
    const space = ok(buildIterationSpace(["p", "r"], constraints("0 <= p < 4", "0 <= r < 3", "p + r <= 100")))
    expect(space.isBox).toBe(true)
  })
  it("reports unbounded, empty and unknown variables", () => {
    expect(err(buildIterationSpace(["m", "k"], constraints("0 <= m < 4", "k >= 0")))).toMatchObject({ _tag: "Unbounded", variable: "k" })
    expect(err(buildIterationSpace(["m"], constraints("4 <= m < 4")))).toMatchObject({ _tag: "Empty" })
    expect(err(buildIterationSpace(["m"], constraints("0 <= m < 4", "0 <= z < 2")))).toMatchObject({ _tag: "UnknownVariable", variable: "z" })
    // infeasible cycle terminates
    expect(err(buildIterationSpace(["x", "y"], constraints("0 <= x < 1000", "0 <= y < 1000", "x >= y + 1", "y >= x")))).toMatchObject({ _tag: "Empty" })
  })
  it("strided image extents", () => {
    const space = ok(buildIterationSpace(["p", "r"], constraints("0 <= p < 4", "0 <= r < 3")))
    expect(imageExtent(space, ok(parseAffine("2*p + r")))).toBe(9)
    expect(imageExtent(space, ok(parseAffine("2*p")))).toBe(7)
    expect(imageExtent(space, ok(parseAffine("5")))).toBe(1)
    expect(imageExtent(space, ok(parseAffine("-p + 10")))).toBe(4)
  })
})

describe("property: image extents over boxes equal brute force", () => {
  const boxAndExpression = fc
    .integer({ min: 1, max: 3 })
    .chain((n) =>
      fc.record({
        boxes: fc.array(fc.record({ lo: fc.integer({ min: -3, max: 3 }), size: fc.integer({ min: 1, max: 4 }) }), { minLength: n, maxLength: n }),
        coefficients: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n }),
        constant: fc.integer({ min: -5, max: 5 })
      })
    )
  it("min, max and extent match enumeration", () => {
    fc.assert(
      fc.property(boxAndExpression, ({ boxes, coefficients, constant }) => {
        const vars = boxes.map((_, i) => `v${i}`)
        const cs = constraints(...boxes.map((b, i) => `${b.lo} <= v${i} < ${b.lo + b.size}`))
        const space = ok(buildIterationSpace(vars, cs))
        expect(space.isBox).toBe(true)
        expect(pointCount(space)).toBe(boxes.reduce((n, b) => n * b.size, 1))
        const source = [...coefficients.map((c, i) => `${c}*v${i}`), String(constant)].join(" + ")
        const expression = ok(parseAffine(source))
        let min = Infinity
        let max = -Infinity
        const walk = (i: number, value: number): void => {
          const box = boxes[i]
          if (box === undefined) {
            min = Math.min(min, value)
            max = Math.max(max, value)
            return
          }
          for (let x = box.lo; x < box.lo + box.size; x++) walk(i + 1, value + (coefficients[i] ?? 0) * x)
        }
        walk(0, constant)
        expect(imageRange(space, expression)).toEqual({ min, max })
        expect(imageExtent(space, expression)).toBe(max - min + 1)
      }),
      { numRuns: 300, seed: 7 }
    )
  })
})
