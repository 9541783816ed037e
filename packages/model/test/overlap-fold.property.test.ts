/**
 * Rules 6 and 7 of docs/overlapped-latency.md §7: a level that will close pipelined folds into
 * its parent the sums that only reach the latency through it (`foldIntoParent`), and the first
 * level under the root rests with its periods as root paths (`periodsAtRest`). What the join
 * relies on is that the folded numbers are a sound dominance test: two rows with the same open loops,
 * one no larger than the other in every folded number, keep that order in the latency of every
 * completion, even when the raw numbers (before folding) do not compare. Checked here on random
 * rows (a root, an open loop, maybe a second one inside it) and random completions, against the
 * latency of the raw, unforgotten numbers; and the folded numbers must give that latency too.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  appendStage, closeIntoParent, closeLevel, einsumStage, emptyLevel, forgetIrrelevant, forgetOpenLevels, levelLatency, levelSize, periodsAtRest, periodsResumed
} from "../src/index.ts"

const C = 3
/** DRAM (component 0) may hold deferred work; SRAM and MAC never do. */
const DEFERRING = Uint8Array.from([1, 0, 0])
const SIZE = levelSize(C)

/** An Einsum's critical and deferred work per component, per invocation. */
type Leaf = ReadonlyArray<readonly [number, number]>
interface Shape { readonly open: 1 | 2; readonly loops: readonly [1, number, number] }
/** A row: Einsums placed at the root, then in the open loop, then (open = 2) in the loop inside it. */
type Prefix = readonly [ReadonlyArray<Leaf>, ReadonlyArray<Leaf>, ReadonlyArray<Leaf>]
/**
 * A completion: Einsums into the innermost open level (at least one: the join appends another
 * stage to every open level before it closes it), then the next one out, …, then the root.
 */
type Future = readonly [ReadonlyArray<Leaf>, ReadonlyArray<Leaf>, ReadonlyArray<Leaf>]

type Forgetting = "raw" | "rules 1-5" | "rules 1-6" | "rules 1-7"

/** Rows whose first level rests with its periods as root paths (rule 7), to be resumed before they grow. */
const resting = new WeakSet<Float64Array>()

const work = fc.integer({ min: 0, max: 2 })
const leafArb: fc.Arbitrary<Leaf> = fc.tuple(fc.tuple(work, work), fc.tuple(work, fc.constant(0)), fc.tuple(work, fc.constant(0)))
const leaves = (max: number, min = 0) => fc.array(leafArb, { minLength: min, maxLength: max })
const shapeArb: fc.Arbitrary<Shape> = fc.record({
  open: fc.constantFrom(1 as const, 2 as const),
  loops: fc.tuple(fc.constant(1 as const), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 3 }))
})
const prefixArb: fc.Arbitrary<Prefix> = fc.tuple(leaves(2), leaves(3), leaves(3))

const forget = (levels: Float64Array, shape: Shape, open: number, how: Forgetting): void => {
  if (how === "rules 1-6" || how === "rules 1-7") forgetOpenLevels(levels, 0, C, DEFERRING, true, open, shape.loops)
  if (how === "rules 1-7" && open > 0 && shape.loops[1]! > 1) {
    periodsAtRest(levels, 0, SIZE, C, shape.loops[1]!)
    resting.add(levels)
  } else if (how === "rules 1-5") {
    for (let d = 0; d <= open; d++) forgetIrrelevant(levels, d * SIZE, C, DEFERRING, true, d === 0, shape.loops[d]!)
  }
}

const resume = (levels: Float64Array, shape: Shape): void => {
  if (resting.delete(levels)) periodsResumed(levels, 0, SIZE, C, shape.loops[1]!)
}

const stage = new Float64Array(SIZE)
const place = (levels: Float64Array, shape: Shape, depth: number, leaf: Leaf): void => {
  resume(levels, shape)
  let invocations = 1
  for (let d = 1; d <= depth; d++) invocations *= shape.loops[d]!
  const critical = leaf.map(([k]) => k * invocations)
  const busy = leaf.map(([k, deferred]) => (k + deferred) * invocations)
  einsumStage(stage, 0, C, critical, 0, busy, 0, invocations)
  appendStage(levels, depth * SIZE, stage, 0, C)
}

/** A row's numbers after its prefix, forgotten as `how` says after every Einsum (as the join does). */
const row = (shape: Shape, prefix: Prefix, how: Forgetting): Float64Array => {
  const levels = new Float64Array(3 * SIZE)
  for (let d = 0; d < 3; d++) emptyLevel(levels, d * SIZE, C)
  for (let depth = 0; depth <= shape.open; depth++) {
    for (const leaf of prefix[depth]!) {
      place(levels, shape, depth, leaf)
      forget(levels, shape, depth, how)
    }
  }
  return levels
}

/** The latency of a row completed by `future`, forgetting as the row was built (over the levels still open). */
const complete = (shape: Shape, levels: Float64Array, future: Future, how: Forgetting): number => {
  const state = Float64Array.from(levels)
  if (resting.has(levels)) resting.add(state)
  for (let depth: number = shape.open; depth >= 0; depth--) {
    const leaves = future[shape.open - depth]!
    leaves.forEach((leaf, k) => {
      place(state, shape, depth, leaf)
      // After its last stage a level closes at once: the join never holds it open.
      forget(state, shape, k < leaves.length - 1 ? depth : Math.max(0, depth - 1), how)
    })
    if (depth === 0) break
    const n = shape.loops[depth]!
    resume(state, shape)
    if (how === "rules 1-6" || how === "rules 1-7") closeIntoParent(state, depth * SIZE, (depth - 1) * SIZE, C, n, true, depth === 1, shape.loops[depth - 1]!)
    else {
      if (n > 1) closeLevel(state, depth * SIZE, C, n, true)
      appendStage(state, (depth - 1) * SIZE, state, depth * SIZE, C)
      emptyLevel(state, depth * SIZE, C)
    }
    forget(state, shape, future[shape.open - depth + 1]!.length > 0 ? depth - 1 : Math.max(0, depth - 2), how)
  }
  return levelLatency(state, 0, C)
}

const noLarger = (a: Float64Array, b: Float64Array): boolean => a.every((x, i) => x <= b[i]!)

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, a, b)

// Each rule against the rules before it: the pairs only it orders must show up.
const RULES = [["rule 6: a lumped level folded into its parent", "rules 1-6", "rules 1-5"], [
  "rule 7: the first level's periods as root paths", "rules 1-7", "rules 1-6"
]] as const

for (const [title, rules, before] of RULES) {
  describe(title, () => {
    it("the numbers at rest give every completion's latency", () => {
      fc.assert(
        fc.property(shapeArb, prefixArb, fc.tuple(leaves(3, 1), leaves(3), leaves(2)), (shape, prefix, future) => {
          const raw = complete(shape, row(shape, prefix, "raw"), future, "raw")
          const rested = complete(shape, row(shape, prefix, rules), future, rules)
          expect(close(rested, raw), `${rested} vs ${raw}`).toBe(true)
        }),
        { numRuns: 2000, seed: 2415 }
      )
    })

    it("a row no larger in every number at rest is no worse in every completion", () => {
      let onlyByThisRule = 0
      fc.assert(
        fc.property(shapeArb, prefixArb, prefixArb, fc.array(fc.tuple(leaves(2, 1), leaves(2), leaves(2)), { minLength: 1, maxLength: 4 }), (shape, x, y, futures) => {
          if (!noLarger(row(shape, x, rules), row(shape, y, rules))) return
          if (!noLarger(row(shape, x, before), row(shape, y, before))) onlyByThisRule++
          for (const future of futures) {
            const better = complete(shape, row(shape, x, "raw"), future, "raw")
            const worse = complete(shape, row(shape, y, "raw"), future, "raw")
            expect(better, `${JSON.stringify({ shape, x, y, future })}`).toBeLessThanOrEqual(worse * (1 + 1e-12))
          }
        }),
        { numRuns: 10000, seed: 1715 }
      )
      expect(onlyByThisRule, `pairs only ${rules} orders`).toBeGreaterThan(20)
    })
  })
}
