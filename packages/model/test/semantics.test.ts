/**
 * Model rules checked on small hand-computed cases: tolls and values per action (AccelForge's
 * toll and vpa fixtures, with the obvious best mapping), leak over every instance, per-unit
 * latency below a fanout, imperfect factorization, halos, and the Evaluator service.
 */
import { Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import { decodeMapping, Evaluator, evaluateMapping, type EvaluationResult, groupEntries } from "../src/index.ts"
import { af, evaluateOk, HAS_SHARED, load } from "./reference.ts"
import { C, mac, memory, S, Sp, spec, T } from "./spec-builder.ts"

const mappingOf = (nodes: Array<unknown>) => {
  const m = decodeMapping({ mapping: { nodes } })
  if (Result.isFailure(m)) throw new Error(m.failure.message)
  return m.success
}

const action = (r: EvaluationResult, component: string, tensor: string | null, name: string): number | undefined =>
  r.actions.find((a) => a.component === component && a.tensor === tensor && a.action === name)?.value

describe.skipIf(!HAS_SHARED)("tolls and values per action (AccelForge fixtures, best mapping)", () => {
  // Every tensor crosses the Toll once: T0 and W0 down (8192 values each), T1 up (16384).
  const throughToll = mappingOf([
    S("main_memory", "T0", "W0", "T1"),
    { $tag: "Toll", component: "Toll", tensors: ["T0", "W0", "T1"] },
    S("LocalBuffer", "T0", "W0", "T1"),
    T("m"), T("n0"), T("n1"),
    C("Matmul1", "mac")
  ])

  it("toll_energy: 100 per bit crossing = 26,214,400", async () => {
    const loaded = await load([af("tests/input_files/toll.arch.yaml"), af("tests/input_files/matmul_toll.workload.yaml")])
    const r = evaluateOk(loaded, throughToll)
    expect(r.energy).toBe(26214400)
    expect(action(r, "Toll", "T1", "read")).toBe(16384 * 8)
    expect(action(r, "Toll", "T1", "write")).toBeUndefined()
  })

  it.each([
    ["vpa_precedence_action_wins", 2],
    ["vpa_precedence_action_bpa", 2],
    ["vpa_precedence_component_bpa", 4],
    ["vpa_precedence_default", 0.125]
  ])("%s: energy = 32768 / vpa × 100 with vpa %d", async (arch, vpa) => {
    const dir = "tests/values_per_action/input_files"
    const loaded = await load([af(`${dir}/${arch}.arch.yaml`), af(`${dir}/vpa_precedence.workload.yaml`)])
    expect(evaluateOk(loaded, throughToll).energy).toBeCloseTo((32768 / vpa) * 100, 6)
  })
})

describe("model rules on small cases", () => {
  const copy = { rank_sizes: { M: 8 }, bits_per_value: { All: 8 }, einsums: ["Z[m] = A[m]"] }

  it("leak is charged for every instance, over the Einsum's latency", () => {
    const arch = [
      memory("DRAM", { leak_power: 1 }),
      { $tag: "Container", name: "PE", spatial: [{ name: "X", fanout: 4 }] },
      memory("Buffer", { leak_power: 2 }),
      mac({ leak_power: 0.5 })
    ]
    const r = evaluateOk(spec({ arch, workload: copy, mapping: [S("DRAM", "A", "Z"), T("m"), C()] }))
    expect(r.latency).toBe(8) // 8 ops, one per cycle
    const leak = groupEntries(r.energyBreakdown.filter((e) => e.action === "leak"), { component: true })
    expect(Object.fromEntries(leak)).toEqual({ DRAM: 8, Buffer: 2 * 4 * 8, MAC: 0.5 * 4 * 8 })
    expect(r.leakEnergy).toBe(8 + 64 + 16)
    expect(r.leakPower).toBe(1 + 8 + 2)
  })

  it("latency below a fanout uses one instance's counts", () => {
    const arch = [
      memory("DRAM"),
      { $tag: "Container", name: "PE", spatial: [{ name: "X", fanout: 2 }] },
      memory("Buffer", { actions: [{ name: "read", energy: 1, throughput: 4 }, { name: "write", energy: 1, throughput: 2 }] }),
      mac()
    ]
    const r = evaluateOk(spec({ arch, workload: copy, mapping: [S("DRAM", "A", "Z"), Sp("m", 4, "PE", "X"), S("Buffer", "A"), T("m"), C()] }))
    expect(action(r, "Buffer", "A", "read")).toBe(64) // 8 values × 8 bits over both instances
    expect(action(r, "Buffer", "A", "write")).toBe(64)
    const latency = Object.fromEntries(r.latencyBreakdown.map((l) => [l.component, l.value]))
    expect(latency).toEqual({ DRAM: 0, Buffer: 32 / 4 + 32 / 2, MAC: 4 })
    // Components in arch order (the cost terms' calls are listed by level).
    expect(r.latencyBreakdown.map((l) => l.component)).toEqual(["DRAM", "Buffer", "MAC"])
    expect(r.latency).toBe(24)
  })

  it("an imperfect outer loop: average tiles for ops, ceil for refetches of tensors that don't use it", () => {
    const workload = { rank_sizes: { M: 10, K: 2 }, bits_per_value: { All: 8 }, einsums: ["Z[m] = A[m, k] * B[k]"] }
    const arch = [memory("DRAM"), memory("Buffer"), mac()]
    const r = evaluateOk(spec({ arch, workload, mapping: [S("DRAM", "A", "B", "Z"), T("m", 4), S("Buffer", "B"), T("m"), T("k"), C()] }))
    expect(action(r, "MAC", null, "compute")).toBe(20)
    // B (2 values) is refetched for each of the ceil(10/4) = 3 tiles of m.
    expect(action(r, "Buffer", "B", "write")).toBe(3 * 2 * 8)
    expect(action(r, "DRAM", "B", "read")).toBe(3 * 2 * 8)
  })

  it("a sliding window charges its halo on every tile", () => {
    const workload = {
      rank_sizes: { P: 6, R: 3 },
      bits_per_value: { All: 8 },
      einsums: [{ name: "Y", tensor_accesses: [{ name: "X", projection: { H: "p + r" } }, { name: "F", projection: ["r"] }, { name: "Y", projection: ["p"], output: true }] }]
    }
    const arch = [memory("DRAM"), memory("Buffer"), mac()]
    const r = evaluateOk(spec({ arch, workload, mapping: [S("DRAM", "X", "F", "Y"), T("p", 2), S("Buffer", "X"), T("p"), T("r"), C("Y")] }))
    // 3 tiles of p, each needing 2 + 3 - 1 = 4 values of X.
    expect(action(r, "Buffer", "X", "write")).toBe(3 * 4 * 8)
  })

  it("the Evaluator service evaluates and reports component costs", async () => {
    const loaded = spec({ arch: [memory("DRAM"), mac({ area: 3 })], workload: copy, mapping: [S("DRAM", "A", "Z"), T("m"), C()] })
    const program = Effect.gen(function*() {
      const evaluator = yield* Evaluator
      const result = yield* evaluator.evaluate(loaded)
      const costs = yield* evaluator.componentCosts(loaded)
      return { energy: result.energy, area: costs.totalArea }
    })
    expect(await Effect.runPromise(program.pipe(Effect.provide(Evaluator.layer)))).toEqual({ energy: 8 + 64 + 64, area: 3 }) // 8 ops; DRAM reads A and writes Z, 64 bits each
    const failed = await Effect.runPromise(Effect.result(Evaluator.use((e) => e.evaluate(spec({ arch: [memory("DRAM"), mac()], workload: copy }))).pipe(Effect.provide(Evaluator.layer))))
    expect(Result.isFailure(failed) && failed.failure._tag).toBe("InvalidMappingError")
  })

  it("evaluateMapping on the spec's own mapping equals the same mapping given separately", () => {
    const mapping = [S("DRAM", "A", "Z"), T("m"), C()]
    const arch = [memory("DRAM"), mac()]
    const own = evaluateOk(spec({ arch, workload: copy, mapping }))
    const given = evaluateMapping(spec({ arch, workload: copy }), mappingOf(mapping))
    expect(Result.isSuccess(given) && given.success).toEqual(own)
  })
})
