/**
 * The finer deferrable rule (docs/overlapped-latency.md §1): a producer's write of `T1` into
 * DRAM leaves the critical path when no reader holds `T1` in DRAM, even though `E1` reads `T1`
 * (from the Buffer). Checked on a two-Einsum cascade `T1 = T0·W0`, `T2 = T1·W1` under a shared
 * loop over `m`, against the event simulator, which classifies the writes itself from the
 * mapping it is given (the storage nodes on each Einsum's branch) and shares no latency code
 * with the model: exact in modes none and writeback.
 */
import { Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { buildLoadedSpec, type LoadedSpec } from "@effect-accelforge/core"
import { composition, evaluateMapping, type EvaluationResult, type OverlapMode } from "../src/index.ts"
import { simulate, type SimNode } from "./support/event-simulator.ts"

interface Cascade {
  readonly m: number
  readonly tile: number
  readonly n: readonly [number, number, number]
  /** Cycles per DRAM write action is 1 / this. */
  readonly dramWriteThroughput: number
  readonly macThroughput: number
  /** E0 also writes T1 to DRAM (its backing holder then). */
  readonly producerCopy: boolean
  /** E1 reads T1 from DRAM (else from its Buffer). */
  readonly consumerFromDram: boolean
}

const COMPONENTS = ["DRAM", "Buffer", "MAC"] as const

const storage = (component: string, tensors: ReadonlyArray<string>) => ({ $tag: "Storage", component, tensors: [...tensors] })
const temporal = (v: string, tile: number) => ({ $tag: "Temporal", rank_variable: v, tile_shape: tile })

/** Per Einsum branch: the holders of T1 on it, outermost first, then tile-1 loops and the compute. */
const holdersOfT1 = (c: Cascade): readonly [ReadonlyArray<string>, ReadonlyArray<string>] => [
  c.producerCopy ? ["DRAM", "Buffer"] : ["Buffer"],
  c.consumerFromDram ? ["DRAM", "Buffer"] : ["Buffer"]
]

const specOf = (c: Cascade): LoadedSpec => {
  const memory = (name: string, write: number) => ({
    $tag: "Memory", name, size: "inf", leak_power: 0, area: 0,
    actions: [{ name: "read", energy: 1, throughput: 1 }, { name: "write", energy: 1, throughput: write }]
  })
  const holders = holdersOfT1(c)
  const branch = (e: number, variables: ReadonlyArray<string>) => ({
    $tag: "Nested",
    nodes: [
      ...holders[e]!.map((h) => storage(h, ["T1"])),
      // E1 accumulates T2 in its Buffer: only T2's final values go to DRAM.
      ...(e === 1 ? [storage("Buffer", ["T2"])] : []),
      ...variables.map((v) => temporal(v, 1)),
      { $tag: "Compute", einsum: `E${e}`, component: "MAC" }
    ]
  })
  const data = {
    arch: { nodes: [memory("DRAM", c.dramWriteThroughput), memory("Buffer", 1), { $tag: "Compute", name: "MAC", leak_power: 0, area: 0, actions: [{ name: "compute", energy: 1, throughput: c.macThroughput }] }] },
    workload: {
      rank_sizes: { M: c.m, N0: c.n[0], N1: c.n[1], N2: c.n[2] },
      bits_per_value: { All: 8 },
      einsums: [0, 1].map((i) => ({
        name: `E${i}`,
        tensor_accesses: [
          { name: `T${i}`, projection: ["m", `n${i}`] },
          { name: `W${i}`, projection: [`n${i}`, `n${i + 1}`] },
          { name: `T${i + 1}`, projection: ["m", `n${i + 1}`], output: true }
        ]
      }))
    },
    mapping: {
      nodes: [
        storage("DRAM", ["T0", "W0", "W1", "T2"]),
        temporal("m", c.tile),
        { $tag: "Sequential", nodes: [branch(0, ["m", "n0", "n1"]), branch(1, ["m", "n1", "n2"])] }
      ]
    }
  }
  const loaded = buildLoadedSpec({ data, files: [], keySources: {} })
  if (Result.isFailure(loaded)) throw new Error(loaded.failure.message)
  return loaded.success
}

const evaluate = (c: Cascade, mode: OverlapMode): EvaluationResult => {
  const r = evaluateMapping(specOf(c), undefined, composition(mode))
  if (Result.isFailure(r)) throw new Error(String(r.failure))
  return r.success
}

/**
 * The simulator's own reading of the mapping: an Einsum's writes of its output into its
 * outermost holder are deferred when no other Einsum has a holder of that tensor on the same
 * component. T2 is held only in DRAM by E1 and read by nobody; T1 by the branches' holders.
 */
const deferredWrites = (c: Cascade, coarse = false): ReadonlyArray<{ readonly tensor: string; readonly component: string } | undefined> => {
  const [producer, consumer] = holdersOfT1(c)
  return [
    coarse || consumer.includes(producer[0]!) ? undefined : { tensor: "T1", component: producer[0]! },
    { tensor: "T2", component: "DRAM" }
  ]
}

/** The mapping as the simulator runs it: the shared loop over m repeats E0 then E1, each doing 1/iterations of its work per task. */
const simulated = (c: Cascade, result: EvaluationResult, mode: OverlapMode, options: { readonly coarse?: boolean } = {}) => {
  const iterations = c.m / c.tile
  const leaves = ["E0", "E1"].map((einsum, e): SimNode => {
    const deferred = mode === "none" ? undefined : deferredWrites(c, options.coarse)[e]
    const work = new Map(COMPONENTS.map((component) => {
      const busy = result.latencyBreakdown.filter((l) => l.einsum === einsum && l.component === component).reduce((s, l) => s + l.value, 0)
      const writes = deferred === undefined || deferred.component !== component
        ? 0
        : result.actions.filter((a) => a.einsum === einsum && a.component === component && a.tensor === deferred.tensor && a.action === "write")
          .reduce((s, a) => s + a.value, 0)
      const late = writes / (component === "DRAM" ? c.dramWriteThroughput : 1)
      return [component, { critical: (busy - late) / iterations, deferred: late / iterations }]
    }))
    return { kind: "leaf", name: einsum, work }
  })
  return simulate({ kind: "group", iterations: 1, pipelined: false, stages: [{ kind: "group", iterations, pipelined: false, stages: leaves }] }).makespan
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, a, b)

const cascadeArb: fc.Arbitrary<Cascade> = fc.record({
  m: fc.constantFrom(2, 4, 8),
  n: fc.tuple(fc.constantFrom(1, 2, 4), fc.constantFrom(2, 4, 8), fc.constantFrom(1, 2, 4)),
  dramWriteThroughput: fc.constantFrom(0.125, 0.25, 1, 4),
  macThroughput: fc.constantFrom(0.03125, 1),
  producerCopy: fc.boolean(),
  consumerFromDram: fc.boolean()
}).chain((c) => fc.constantFrom(...[1, 2, 4, 8].filter((t) => c.m % t === 0)).map((tile) => ({ ...c, tile })))

describe("the finer deferrable rule", () => {
  // DRAM writes take 4 cycles a write: E0's DRAM write of T1 sets E0's time.
  const userCase: Cascade = { m: 4, tile: 2, n: [2, 4, 2], dramWriteThroughput: 0.25, macThroughput: 1, producerCopy: true, consumerFromDram: false }

  it("defers a DRAM copy its reader does not read, and not one it reads", () => {
    const readBack = { ...userCase, consumerFromDram: true }
    // E1 reads T1 from its Buffer: E0's DRAM write of T1 drains while E1 computes.
    expect([evaluate(userCase, "none").latency, evaluate(userCase, "writeback").latency]).toEqual([1792, 1536])
    // The coarse rule (deferrable only when no Einsum reads T1) would keep it critical: no gain.
    expect(simulated(userCase, evaluate(userCase, "writeback"), "writeback", { coarse: true })).toBe(1792)
    // E1 reads T1 back from DRAM: it waits for that write.
    expect([evaluate(readBack, "none").latency, evaluate(readBack, "writeback").latency]).toEqual([1920, 1920])
  })

  it("the model agrees with the simulator's own classification, exactly in modes none and writeback; never above the coarser rule; pipeline <= writeback <= none", () => {
    fc.assert(fc.property(cascadeArb, (c) => {
      const [none, writeback, pipeline] = (["none", "writeback", "pipeline"] as const).map((mode) => evaluate(c, mode))
      expect(close(none!.latency, simulated(c, none!, "none"))).toBe(true)
      expect(close(writeback!.latency, simulated(c, writeback!, "writeback"))).toBe(true)
      // Deferring more (the finer rule against the coarser one) never costs time.
      expect(writeback!.latency).toBeLessThanOrEqual(simulated(c, writeback!, "writeback", { coarse: true }) * (1 + 1e-12))
      expect(writeback!.latency).toBeLessThanOrEqual(none!.latency * (1 + 1e-12))
      expect(pipeline!.latency).toBeLessThanOrEqual(writeback!.latency * (1 + 1e-12))
      // Energy does not depend on the mode (no leak here).
      expect(close(writeback!.energy, none!.energy) && close(pipeline!.energy, none!.energy)).toBe(true)
    }), { numRuns: 80, seed: 2503 })
  })
})
