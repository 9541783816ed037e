/**
 * Small work stays on the calling thread: the per-Einsum search's probe (in-thread-first.ts)
 * keeps the Einsums it finishes before its deadline and leaves the rest to worker threads,
 * while the search's own limits and failures still end the search; a small join runs on the
 * calling thread even when asked for a worker, and on a worker when told to. The built-in
 * pruners load without importing their modules.
 */
import { resolve } from "node:path"
import { Effect, Exit, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { loadSpec } from "@effect-accelforge/core"
import { InvalidMappingError } from "@effect-accelforge/model"
import {
  attempt,
  budgetOf,
  type Budget,
  checkBudget,
  Joiner,
  keepAllRows,
  loadPruner,
  type MapperError,
  paretoFront,
  ParetoPruner,
  type PmappingTable,
  PROBE_AT_MOST_ROWS,
  PROBE_ENDED,
  probeOrder,
  searchInThreadFirst,
  SearchLimitError,
  searchLayer,
  searchSetup
} from "../src/index.ts"
import { mapFailure, mapping } from "./support/run-mapper.ts"
import { failingPruner, moduleOf } from "./support/test-pruners.ts"

const REPO = resolve(import.meta.dirname, "../../..")
const NO_LIMIT = budgetOf({ time_limit: Infinity, memory_limit: Infinity, memory_limit_per_process: Infinity, time_limit_per_pmapping_template: Infinity })
const table = (i: number) => ({ einsum: `E${i}` }) as unknown as PmappingTable

/** A search whose probe ends in Einsum `slow` (as a budget check there would), and that finishes every other one. */
const searchUntil = (slow: number) => (i: number, budget: Budget): Effect.Effect<PmappingTable, MapperError> =>
  i === slow && budget.probe !== undefined ? Effect.fail(new SearchLimitError({ limit: "time_limit", reason: PROBE_ENDED })) : Effect.succeed(table(i))

const exitOf = <A>(effect: Effect.Effect<A, MapperError>) => Effect.runPromiseExit(effect)

describe("the per-Einsum search tries this thread first", () => {
  it("every Einsum finished within the probe: all tables kept, in the order asked", async () => {
    const done = await Effect.runPromise(searchInThreadFirst([2, 0, 1], NO_LIMIT, searchUntil(-1)))
    expect([...done.keys()]).toEqual([2, 0, 1])
    expect(done.get(0)!.einsum).toBe("E0")
  })

  it("the probe's deadline in an Einsum: the Einsums before it kept, it and the rest left for the workers", async () => {
    const done = await Effect.runPromise(searchInThreadFirst([0, 1, 2], NO_LIMIT, searchUntil(1)))
    expect([...done.keys()]).toEqual([0])
  })

  it("a probe of no time leaves every Einsum to the workers", async () => {
    const done = await Effect.runPromise(searchInThreadFirst([0, 1], NO_LIMIT, searchUntil(-1), { cpuMs: -1, wallMs: -1 }))
    expect(done.size).toBe(0)
  })

  it("the search's own time_limit, when past, still ends the search", async () => {
    const past: Budget = { ...NO_LIMIT, deadline: Date.now() - 1000, timeLimit: 1 }
    const exit = await exitOf(searchInThreadFirst([0, 1], past, (_i, budget) => attempt(() => {
      checkBudget(budget, "searching")
      return table(0)
    })))
    expect(Exit.isFailure(exit) && String(exit.cause)).toContain("time_limit of 1 s exceeded while searching")
  })

  it("a budget with the probe's end stops the search there, with PROBE_ENDED; without it, never", () => {
    const spent = { ...NO_LIMIT, probe: { threadCpuDeadline: 0, wallDeadline: Infinity } }
    expect(() => checkBudget(spent, "searching")).toThrow(PROBE_ENDED)
    expect(() => checkBudget({ ...NO_LIMIT, probe: { threadCpuDeadline: Infinity, wallDeadline: 0 } }, "searching")).toThrow(PROBE_ENDED)
    expect(() => checkBudget({ ...NO_LIMIT, probe: { threadCpuDeadline: Infinity, wallDeadline: Infinity } }, "searching")).not.toThrow()
  })

  it("any other failure ends the search", async () => {
    const refused = new InvalidMappingError({ reason: "refused", einsum: "E1", path: [] })
    const exit = await exitOf(searchInThreadFirst([0, 1], NO_LIMIT, (i) => (i === 1 ? Effect.fail(refused) : Effect.succeed(table(i)))))
    expect(Exit.isFailure(exit) && String(exit.cause)).toContain("refused")
  })
})

describe("which Einsums the probe tries", () => {
  const setupOf = async (arch: string, layers: number) =>
    searchSetup(await Effect.runPromise(loadSpec({
      files: [resolve(REPO, `examples/arches/${arch}.yaml`), resolve(REPO, "examples/workloads/matmul_chain.yaml")],
      variables: { LAYERS: layers },
      overrides: []
    })))

  it("a small search: every Einsum searched, fewest tile shapes first (the middle layers have more loops)", async () => {
    const setup = await setupOf("two_level", 4)
    const searched = [...new Set(setup.sameSearchAs)]
    const order = probeOrder(setup, searched)
    expect([...order].sort((a, b) => a - b)).toEqual(searched)
    expect(setup.templates[order[0]!]!.length).toBeLessThanOrEqual(setup.templates[order.at(-1)!]!.length)
  })

  it(`a search of more than ${PROBE_AT_MOST_ROWS} tile shapes goes to the workers at once`, async () => {
    const setup = await setupOf("systolic_tpu_like", 2)
    expect(probeOrder(setup, [...new Set(setup.sameSearchAs)])).toEqual([])
  })
})

describe("a small join stays on this thread", () => {
  // The chain of 3 unfused matmuls: a few rows per Einsum, a join of milliseconds.
  const small = () => Effect.runPromise(loadSpec({
    files: [resolve(REPO, "examples/arches/two_level.yaml"), resolve(REPO, "examples/workloads/matmul_chain.yaml")],
    variables: { LAYERS: 3 },
    overrides: ["arch.nodes.0.tensors.keep=All"]
  }))
  // The join prunes with a pruner that refuses, naming its thread (0 is this one); the per-Einsum search with the default one.
  const refusingJoin = () => searchLayer({ joiner: Joiner.layerWithoutDependencies.pipe(Layer.provide(ParetoPruner.make(failingPruner, moduleOf("failingPruner")))) })

  for (const smallInThread of [true, false]) {
    it(`asked for a worker thread, ${smallInThread ? "it joins on this one" : "and told to use it even when small, it joins there"}`, async () => {
      const loaded = await small()
      const error = await mapFailure(mapping(loaded, { jobs: 1, inWorkers: true, smallInThread }), refusingJoin())
      expect(error).toBeInstanceOf(InvalidMappingError)
      expect((error as InvalidMappingError).reason).toMatch(smallInThread ? /^refused in thread 0$/ : /^refused in thread [1-9]/)
    }, 120_000)
  }
})

describe("the built-in pruners load without importing their modules", () => {
  it("the exact front and keep-all are the functions this thread already has; another module is imported", async () => {
    expect(await loadPruner({ module: new URL("../src/pareto/pareto-front.ts", import.meta.url).href, name: "paretoFront" })).toBe(paretoFront)
    expect(await loadPruner({ module: new URL("../src/pareto/keep-all.ts", import.meta.url).href, name: "keepAllRows" })).toBe(keepAllRows)
    expect(await loadPruner(moduleOf("failingPruner"))).toBe(failingPruner)
  })
})
