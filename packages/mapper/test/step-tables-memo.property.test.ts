/**
 * A step's tables (tiles/step-tables.ts) keep what they read of the chains alone per chain
 * list, so steps on the same chains share it: the tables are the same numbers whether the
 * chains come with what earlier steps kept or fresh. On random steps over one chain list
 * (fused flags, spatial dimensions, limits, reservations of any powers of the own loops) each
 * step's tables equal those built on fresh copies of the chains, which nothing was kept for.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { LoopSlot } from "../src/template/template.ts"
import type { StepShape } from "../src/tiles/chain-step.ts"
import type { CompiledPolynomial } from "../src/tiles/compiled-polynomial.ts"
import { divisorChains } from "../src/tiles/divisor-chains.ts"
import { StepTables } from "../src/tiles/step-tables.ts"

const WIDTH = 4

interface StepCase {
  readonly own: ReadonlyArray<number>
  readonly fused: ReadonlyArray<boolean>
  readonly dimOf: ReadonlyArray<number>
  readonly maxLoops: number
  readonly maxFusedLoops: number
  /** Per reservation: its memory and monomials, each a coefficient and (loop, power) factors. */
  readonly reservations: ReadonlyArray<{ readonly memory: number; readonly monomials: ReadonlyArray<{ readonly coef: number; readonly factors: ReadonlyArray<readonly [number, number]> }> }>
}

const compiled = (monomials: StepCase["reservations"][number]["monomials"]): CompiledPolynomial => {
  const start = [0]
  const symbol: Array<number> = []
  const power: Array<number> = []
  for (const m of monomials) {
    for (const [loop, p] of m.factors) {
      symbol.push(loop)
      power.push(p)
    }
    start.push(symbol.length)
  }
  return {
    constant: 3,
    coefs: Float64Array.from(monomials, (m) => m.coef),
    start: Int32Array.from(start),
    symbol: Int32Array.from(symbol),
    power: Int8Array.from(power),
    factor: new Int32Array(symbol.length).fill(-1),
    factored: symbol.length === 0
  }
}

const shapeOf = (c: StepCase): StepShape => ({
  loops: Array.from({ length: WIDTH }, (_, i): LoopSlot => ({ kind: "loop", spatial: c.dimOf[i]! >= 0, rankVariable: c.own.includes(i) ? "v" : "w", component: "PE", level: 0, dimension: `d${c.dimOf[i]}`, fused: c.fused[i]! })),
  variableOfLoop: Int32Array.from({ length: WIDTH }, (_, i) => (c.own.includes(i) ? 1 : 0)),
  dimOf: c.dimOf,
  fanouts: Float64Array.of(4, 8),
  capacity: {
    memories: [{ level: 0, size: 1e6 }, { level: 1, size: 1e6 }],
    reservations: c.reservations.map((r) => ({ memory: r.memory, bits: compiled(r.monomials) }))
  },
  limits: { maxFusedLoops: c.maxFusedLoops, maxFusedLoopsPerRankVariable: c.maxFusedLoops, maxLoops: c.maxLoops, maxLoopsPerSpatialDimension: 2 }
})

/** Loop counts of the chains: the tile above (the bound for the first) over the loop's own. */
const countsOf = (chains: Int32Array, k: number, bound: number): Float64Array =>
  Float64Array.from(chains, (tile, x) => (x % k === 0 ? bound : chains[x - 1]!) / tile)

const plain = (t: StepTables) => ({
  counted: t.counted,
  live: t.live,
  maxFused: t.maxFused,
  maxAll: t.maxAll,
  fixed: t.fixed,
  splitStart: t.splitStart,
  ownPart: t.ownPart,
  limit: t.limit,
  splitRest: t.splitRest,
  splitCoef: t.splitCoef
})

const stepCase = (k: number): fc.Arbitrary<StepCase> =>
  fc.record({
    own: fc.shuffledSubarray([0, 1, 2, 3], { minLength: k, maxLength: k }),
    fused: fc.array(fc.boolean(), { minLength: WIDTH, maxLength: WIDTH }),
    dimOf: fc.array(fc.constantFrom(-1, 0, 1), { minLength: WIDTH, maxLength: WIDTH }),
    maxLoops: fc.integer({ min: 0, max: 4 }),
    maxFusedLoops: fc.integer({ min: 0, max: 2 }),
    reservations: fc.array(
      fc.record({
        memory: fc.constantFrom(0, 1),
        monomials: fc.array(
          fc.record({
            coef: fc.constantFrom(1, 2, 0.5, -1),
            factors: fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: WIDTH - 1 }), fc.constantFrom(-1, 1, 2, 3)), { selector: ([loop]) => loop, maxLength: 3 })
          }),
          { maxLength: 3 }
        )
      }),
      { maxLength: 3 }
    )
  })

describe("step tables", () => {
  it("are the same numbers on chains earlier steps kept parts of as on fresh chains", () => {
    const steps = fc
      .record({ bound: fc.constantFrom(6, 8, 12, 16), k: fc.integer({ min: 1, max: 3 }) })
      .chain(({ bound, k }) => fc.record({ bound: fc.constant(bound), k: fc.constant(k), steps: fc.array(stepCase(k), { minLength: 2, maxLength: 6 }) }))
    fc.assert(
      fc.property(steps, ({ bound, k, steps }) => {
        const chains = divisorChains(bound, k)
        const counts = countsOf(chains, k, bound)
        const nChains = chains.length / k
        for (const step of steps) {
          const shape = shapeOf(step)
          const kept = new StepTables(shape, step.own, chains, counts, nChains)
          const fresh = new StepTables(shape, step.own, chains.slice(), counts.slice(), nChains)
          expect(plain(kept)).toEqual(plain(fresh))
        }
      }),
      { numRuns: 300, seed: 31 }
    )
  })
})
