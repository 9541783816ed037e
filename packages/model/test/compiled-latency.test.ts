import { resolve } from "node:path"
import { evaluateExpression, layeredScope, loadSpec, resolveAll, scopeFromRecord } from "@effect-accelforge/core"
import { Effect, Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { compileLatency, INTERPRET, type LatencyInputs } from "../src/metrics/compiled-latency.ts"
import { latencyOfActions } from "../src/metrics/latency.ts"

const actionsOf = (throughputs: ReadonlyArray<number>) =>
  throughputs.map((throughput, i) => ({ name: `a${i}`, n_calls: 0, throughput, energy: 1 }))

/** The interpreter's value for the same inputs (the semantics the compiled closure must keep). */
const interpreted = (expression: string, view: Record<string, unknown>, inputs: LatencyInputs): unknown => {
  const actions = view.actions as Array<Record<string, unknown>>
  actions.forEach((a, i) => (a.n_calls = inputs.nCalls[i]!))
  const result = evaluateExpression(expression, layeredScope(scopeFromRecord(view), scopeFromRecord({ CLOCK: 2e8 })))
  return Result.isFailure(result) ? "error" : result.success
}

const EXPRESSIONS = [
  "sum(a.n_calls / a.throughput for a in actions)",
  "max(a.n_calls / a.throughput for a in actions)",
  "min(a.n_calls / a.energy for a in actions)",
  "sum(a.n_calls for a in actions) / 32 / CLOCK",
  "max(sum(a.n_calls * 2 for a in actions), size / 3) - -a_constant + min(1, +size)"
]

describe("compiled total_latency", () => {
  it("gives the interpreter's value, to the bit, on random call counts", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EXPRESSIONS),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.double({ min: 0, max: 1e12, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (expression, throughputs, calls) => {
          const view = { size: 1024, a_constant: 3, actions: actionsOf(throughputs) }
          const scope = layeredScope(scopeFromRecord(view), scopeFromRecord({ CLOCK: 2e8 }))
          const compiled = compileLatency(expression, scope, view.actions, false)
          expect(compiled).toBeDefined()
          const inputs: LatencyInputs = { nCalls: Float64Array.from(calls.slice(0, throughputs.length)), maxHops: 0, maxLinkTraffic: 0 }
          expect(compiled!(inputs)).toBe(interpreted(expression, view, inputs))
        }
      ),
      { seed: 17, numRuns: 300 }
    )
  })

  it("leaves forms it does not cover to the interpreter", () => {
    const view = { actions: actionsOf([1]) }
    const scope = scopeFromRecord(view)
    expect(compileLatency("max(max_hops * actions['hop'].latency, 1)", scope, view.actions, true)).toBeUndefined()
    expect(compileLatency("sum(a.n_calls for a in actions if a.n_calls > 0)", scope, view.actions, false)).toBeUndefined()
    expect(compileLatency("sum(a.n_calls / a.missing for a in actions)", scope, view.actions, false)).toBeUndefined()
  })

  it("hands a row the interpreter would raise on back to it", () => {
    for (const [expression, throughputs] of [
      ["sum(a.n_calls / a.throughput for a in actions)", [0]],
      ["max(a.n_calls / a.throughput for a in actions)", [2, 0]],
      ["min(a.n_calls / a.throughput for a in actions)", [0, 2]],
      ["max(a.n_calls / a.throughput for a in actions)", []]
    ] as const) {
      const view = { actions: actionsOf(throughputs) }
      const compiled = compileLatency(expression, scopeFromRecord(view), view.actions, false)
      const inputs = { nCalls: new Float64Array(throughputs.length).fill(5), maxHops: 0, maxLinkTraffic: 0 }
      expect(compiled, expression).toBeDefined()
      expect(() => compiled!(inputs), expression).toThrow()
      expect(interpreted(expression, view, inputs), expression).toBe("error")
      try {
        compiled!(inputs)
      } catch (e) {
        expect(e, expression).toBe(INTERPRET)
      }
    }
  })
})

describe("a component's latency closure", () => {
  const REPO = resolve(import.meta.dirname, "../../..")
  const context = async () => {
    const loaded = await Effect.runPromise(loadSpec({
      files: [resolve(REPO, "examples/arches/two_level.yaml"), resolve(REPO, "examples/workloads/matmul_chain.yaml")],
      variables: { LAYERS: 2 },
      overrides: []
    }))
    const contexts = resolveAll(loaded)
    if (Result.isFailure(contexts)) throw contexts.failure
    return { loaded, ctx: contexts.success[0]! }
  }

  it("is built once per component and scope, and shared it gives the numbers a fresh one gives", async () => {
    const { loaded, ctx } = await context()
    const scope = { variables: loaded.variables, archVariables: ctx.archVariables }
    for (const c of ctx.components) {
      const shared = latencyOfActions(c, scope)
      expect(latencyOfActions(c, { ...scope })).toBe(shared)
      // Records with the same contents but another identity: a closure of their own.
      const fresh = latencyOfActions(c, { variables: { ...loaded.variables }, archVariables: { ...ctx.archVariables } })
      expect(fresh).not.toBe(shared)
      fc.assert(
        fc.property(fc.array(fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { minLength: shared.actions.length, maxLength: shared.actions.length }), { minLength: 2, maxLength: 4 }), (rows) => {
          // Interleaved calls: no row's counts leak into the next.
          const values = rows.map((r) => shared.latency({ nCalls: Float64Array.from(r), maxHops: r[0] ?? 0, maxLinkTraffic: r[1] ?? 0 }))
          rows.forEach((r, i) => expect(fresh.latency({ nCalls: Float64Array.from(r), maxHops: r[0] ?? 0, maxLinkTraffic: r[1] ?? 0 })).toBe(values[i]))
        }),
        { seed: 23, numRuns: 50 }
      )
    }
  })
})
