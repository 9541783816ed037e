/**
 * The one place Einsums compose (compose/): mode `none` runs them in sequence. Its columns per
 * metric set, one Einsum's values (latency the slowest component, leak over it, everything ×
 * n_instances), the combine rule (add) and the derived EDP; and the property pruning relies
 * on: every column is non-decreasing in every Einsum cost and in both sides of a combination.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { METRIC_FLAGS } from "@effect-accelforge/core"
import { ALL_OBJECTIVES, type Column, einsumCosts, SEQUENTIAL } from "../src/index.ts"

const none = { sharedLoops: [], nextLoops: [] }

const valuesOf = (columns: ReadonlyArray<Column>, dynamic: number, latencies: ReadonlyArray<number>, leak: ReadonlyArray<number>, n = 1): Float64Array => {
  const costs = einsumCosts(n, latencies.map((_, i) => `C${i}`), Float64Array.from(leak))
  costs.dynamicEnergy = dynamic
  latencies.forEach((l, i) => (costs.componentLatency[i] = l))
  const out = new Float64Array(columns.length)
  SEQUENTIAL.einsumValues(columns, costs, out)
  return out
}

describe("composition, mode none (Einsums in sequence)", () => {
  it("gives the objective columns a metric set needs, each added across Einsums", () => {
    const names = (metrics: number) => SEQUENTIAL.columns(metrics).map((c) => c.name)
    expect(names(METRIC_FLAGS.ENERGY)).toEqual(["energy"])
    expect(names(METRIC_FLAGS.ENERGY_DELAY_PRODUCT)).toEqual(["energy", "latency"])
    expect(names(METRIC_FLAGS.LATENCY | METRIC_FLAGS.LEAK_ENERGY)).toEqual(["latency", "leakEnergy"])
    expect(names(METRIC_FLAGS.RESOURCE_USAGE)).toEqual([])
    expect(SEQUENTIAL.columns(METRIC_FLAGS.ENERGY_DELAY_PRODUCT).every((c) => c.combine === "add")).toBe(true)
  })

  it("an Einsum's latency is its slowest component; leak is the arch's leak power over it; all × n_instances", () => {
    // Latencies 3, 7, 5: latency 7; leak powers 1 and 0.5: leak 10.5; dynamic 100; 2 instances.
    expect([...valuesOf(ALL_OBJECTIVES, 100, [3, 7, 5], [1, 0.5], 2)]).toEqual([2 * 110.5, 14, 200, 21])
  })

  it("two Einsums add column by column, and EDP is energy × latency of the whole", () => {
    const columns = SEQUENTIAL.columns(METRIC_FLAGS.ENERGY_DELAY_PRODUCT)
    const out = new Float64Array(2)
    SEQUENTIAL.combiner(columns)(out, [Float64Array.of(10), Float64Array.of(3)], 0, [Float64Array.of(5), Float64Array.of(4)], 0, none)
    expect([...out]).toEqual([15, 7])
    expect(SEQUENTIAL.totals(columns, out)).toEqual({ energy: 15, latency: 7, edp: 105 })
  })

  it("every column is non-decreasing in each Einsum cost and in both sides of a combination", () => {
    const cost = fc.double({ min: 0, max: 1e6, noNaN: true })
    fc.assert(
      fc.property(cost, fc.array(cost, { minLength: 1, maxLength: 4 }), fc.array(cost, { minLength: 0, maxLength: 3 }), fc.nat(3), cost, (dynamic, latencies, leak, which, more) => {
        const base = valuesOf(ALL_OBJECTIVES, dynamic, latencies, leak)
        const moreDynamic = valuesOf(ALL_OBJECTIVES, dynamic + more, latencies, leak)
        const slower = latencies.map((l, i) => (i === which % latencies.length ? l + more : l))
        const moreLatency = valuesOf(ALL_OBJECTIVES, dynamic, slower, leak)
        base.forEach((v, c) => {
          expect(moreDynamic[c]!).toBeGreaterThanOrEqual(v)
          expect(moreLatency[c]!).toBeGreaterThanOrEqual(v)
        })
        const combine = SEQUENTIAL.combiner(ALL_OBJECTIVES)
        const col = (values: Float64Array) => [...values].map((v) => Float64Array.of(v))
        const out = new Float64Array(4)
        const grown = new Float64Array(4)
        combine(out, col(base), 0, col(base), 0, none)
        combine(grown, col(base), 0, col(moreLatency), 0, none)
        out.forEach((v, c) => expect(grown[c]!).toBeGreaterThanOrEqual(v))
      }),
      { numRuns: 200, seed: 15 }
    )
  })
})
