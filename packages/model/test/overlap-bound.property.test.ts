/**
 * The lower bound of the overlap modes (compose/overlap-bound.ts, docs/overlapped-latency.md §7,
 * "A lower bound for branch and bound"), as the join uses it: on random cascades of 2-5
 * Einsums, each with a few alternative pmappings (random critical and deferrable work on DRAM,
 * SRAM and a MAC, dynamic energy and leak power), under a random sequence of fused nests (each
 * Einsum shares the whole nest left open before it, and leaves open a prefix of that nest
 * extended by loops of its own), every partial row the combiner forms (every choice of the first
 * Einsums' alternatives) has a bound, with `rest` the per-column sums of the later Einsums'
 * minima and the loops it leaves open, no larger than the objective of every completion of it,
 * in modes writeback and pipeline, for latency, energy and EDP. Also: a complete row's bound
 * is its objective, and the bound of the row combined from the smallest values of both sides
 * (what the join tests before it forms a group pair's rows) is no larger than any pair's.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  type BoundedObjective, type Column, type EinsumCosts, type JoinContext, objectiveLowerBound, overlapComposition, type SharedLoop
} from "../src/index.ts"

const COMPONENTS = ["DRAM", "SRAM", "MAC"]
const MAX_DEPTH = 2

interface Alternative {
  readonly critical: ReadonlyArray<number>
  /** Deferrable work on DRAM (its write into the backing store). */
  readonly deferred: number
  readonly dynamicEnergy: number
  readonly leak: number
}

interface Cascade {
  readonly einsums: ReadonlyArray<ReadonlyArray<Alternative>>
  readonly nInstances: ReadonlyArray<number>
  /** open[j]: the fused loops Einsums 0..j leave open to the ones after (the last: none). */
  readonly open: ReadonlyArray<ReadonlyArray<SharedLoop>>
}

const alternativeArb: fc.Arbitrary<Alternative> = fc.record({
  critical: fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 6 })),
  deferred: fc.constantFrom(0, 0, 1, 2, 4),
  dynamicEnergy: fc.integer({ min: 0, max: 9 }),
  leak: fc.constantFrom(0, 0, 1, 3)
})

const loopArb: fc.Arbitrary<SharedLoop> = fc.record({ iterations: fc.integer({ min: 1, max: 4 }), spatial: fc.constantFrom(false, false, false, true) })

/** The open nests: each a prefix of the one before extended by fresh loops (what nests in the join). */
const nestsArb = (einsums: number): fc.Arbitrary<ReadonlyArray<ReadonlyArray<SharedLoop>>> =>
  fc.array(fc.tuple(fc.nat(), fc.array(loopArb, { maxLength: MAX_DEPTH })), { minLength: einsums - 1, maxLength: einsums - 1 }).map((steps) => {
    const out: Array<ReadonlyArray<SharedLoop>> = []
    let previous: ReadonlyArray<SharedLoop> = []
    for (const [keep, fresh] of steps) {
      // The next Einsum runs inside the whole open nest and may add loops of its own; what
      // stays open is a prefix of its nest.
      const nest = [...previous, ...fresh].slice(0, MAX_DEPTH)
      previous = nest.slice(0, keep % (nest.length + 1))
      out.push(previous)
    }
    out.push([])
    return out
  })

const cascadeArb: fc.Arbitrary<Cascade> = fc.integer({ min: 2, max: 5 }).chain((n) =>
  fc.record({
    einsums: fc.array(fc.array(alternativeArb, { minLength: 1, maxLength: n > 3 ? 2 : 3 }), { minLength: n, maxLength: n }),
    nInstances: fc.array(fc.constantFrom(1, 1, 2), { minLength: n, maxLength: n }),
    open: nestsArb(n)
  })
)

const leakPower = (alt: Alternative) => Float64Array.of(alt.leak, 0, 0)

const costsOf = (alt: Alternative, nInstances: number): EinsumCosts => {
  const critical = Float64Array.from(alt.critical)
  const busy = Float64Array.from(alt.critical, (k, c) => (c === 0 ? k + alt.deferred : k))
  return { nInstances, dynamicEnergy: alt.dynamicEnergy, componentLatency: busy, criticalLatency: critical, components: COMPONENTS, leakPower: leakPower(alt) }
}

const cartesian = <T>(lists: ReadonlyArray<ReadonlyArray<T>>): Array<Array<T>> =>
  lists.reduce<Array<Array<T>>>((acc, list) => acc.flatMap((prefix) => list.map((x) => [...prefix, x])), [[]])

const objectiveOf = (objective: BoundedObjective, t: { energy?: number; latency?: number; edp?: number }): number =>
  objective === "latency" ? t.latency! : objective === "energy" ? t.energy! : t.edp!

for (const mode of ["writeback", "pipeline"] as const) {
  const composition = overlapComposition(mode, { components: COMPONENTS, maxDepth: MAX_DEPTH, deferring: ["DRAM"] })
  const columns: ReadonlyArray<Column> = composition.columns(0)
  const width = columns.length
  const combine = composition.combiner(columns)
  const asColumns = (rows: ReadonlyArray<Float64Array>): Array<Float64Array> => Array.from({ length: width }, (_, c) => Float64Array.from(rows, (r) => r[c]!))

  /** Each Einsum's rows (one per alternative), as the per-Einsum tables hold them. */
  const tables = (cascade: Cascade): Array<Array<Float64Array>> =>
    cascade.einsums.map((alts, e) =>
      alts.map((alt) => {
        const out = new Float64Array(width)
        composition.einsumValues(columns, costsOf(alt, cascade.nInstances[e]!), out)
        return out
      })
    )

  const contextOf = (cascade: Cascade, j: number): JoinContext => ({ sharedLoops: cascade.open[j - 1]!, nextLoops: cascade.open[j]! })

  /** The row of Einsums 0..j with these rows, combined as the join does. */
  const joined = (cascade: Cascade, rows: ReadonlyArray<Float64Array>): Float64Array => {
    let left = rows[0]!
    for (let j = 1; j < rows.length; j++) {
      const out = new Float64Array(width)
      combine(out, asColumns([left]), 0, asColumns([rows[j]!]), 0, contextOf(cascade, j))
      left = out
    }
    return left
  }

  /** Per column, the sum of the minima of the tables from `from` on. */
  const restFrom = (table: ReadonlyArray<ReadonlyArray<Float64Array>>, from: number): Float64Array => {
    const rest = new Float64Array(width)
    for (let e = from; e < table.length; e++) {
      for (let c = 0; c < width; c++) rest[c] = rest[c]! + Math.min(...table[e]!.map((r) => r[c]!))
    }
    return rest
  }

  describe(`the lower bound of a partial row's completions, mode ${mode}`, () => {
    it("is at most the objective of every completion (latency, energy, EDP), and a complete row's bound is its objective", () => {
      let partial = 0
      let tight = 0
      fc.assert(
        fc.property(cascadeArb, (cascade) => {
          const table = tables(cascade)
          const n = table.length
          for (const objective of ["latency", "energy", "edp"] as const) {
            const bound = objectiveLowerBound(composition, columns, objective)!
            expect(bound).toBeDefined()
            for (let j = 0; j < n; j++) {
              const rest = restFrom(table, j + 1)
              // A row of one Einsum is not placed yet: the join gives it no loops.
              const open = j === 0 ? [] : cascade.open[j]!
              for (const prefix of cartesian(table.slice(0, j + 1))) {
                const row = joined(cascade, prefix)
                const low = bound(row, rest, open)
                let best = Infinity
                for (const suffix of cartesian(table.slice(j + 1))) {
                  const value = objectiveOf(objective, composition.totals(columns, joined(cascade, [...prefix, ...suffix])))
                  best = Math.min(best, value)
                  expect(low, `${objective}, prefix of ${j + 1}: bound ${low} > completion ${value}\n${JSON.stringify(cascade)}`).toBeLessThanOrEqual(value * (1 + 1e-12))
                }
                if (j < n - 1) {
                  partial++
                  if (low >= best * (1 - 1e-12)) tight++
                } else {
                  expect(low, `${objective}: a complete row's bound is its objective`).toBeCloseTo(best, 9)
                }
              }
            }
          }
        }),
        { numRuns: 300, seed: 2601 }
      )
      console.info(`overlap bound (${mode}): ${partial} partial rows, the bound equals the best completion on ${tight}`)
      // The bound says something: on many partial rows it is already the best completion's objective.
      expect(tight).toBeGreaterThan(partial / 10)
    })

    it("of the row combined from both sides' smallest values is at most any pair's (the join's test before a group pair)", () => {
      fc.assert(
        fc.property(cascadeArb, (cascade) => {
          const table = tables(cascade)
          for (const objective of ["latency", "energy", "edp"] as const) {
            const bound = objectiveLowerBound(composition, columns, objective)!
            for (let j = 1; j < table.length; j++) {
              const rest = restFrom(table, j + 1)
              const lefts = cartesian(table.slice(0, j)).map((prefix) => joined(cascade, prefix))
              const lowest = (rows: ReadonlyArray<Float64Array>) => Float64Array.from({ length: width }, (_, c) => Math.min(...rows.map((r) => r[c]!)))
              const out = new Float64Array(width)
              combine(out, asColumns([lowest(lefts)]), 0, asColumns([lowest(table[j]!)]), 0, contextOf(cascade, j))
              const low = bound(out, rest, cascade.open[j]!)
              for (const left of lefts) {
                for (const right of table[j]!) {
                  const pair = new Float64Array(width)
                  combine(pair, asColumns([left]), 0, asColumns([right]), 0, contextOf(cascade, j))
                  expect(low, `${objective}, step ${j}\n${JSON.stringify(cascade)}`).toBeLessThanOrEqual(bound(pair, rest, cascade.open[j]!) * (1 + 1e-12))
                }
              }
            }
          }
        }),
        { numRuns: 300, seed: 2602 }
      )
    })
  })
}
