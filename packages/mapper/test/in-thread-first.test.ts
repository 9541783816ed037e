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
import { type EinsumContext, loadSpec } from "@effect-accelforge/core"
import { InvalidMappingError } from "@effect-accelforge/model"
import {
  attempt,
  budgetOf,
  type Budget,
  checkBudget,
  generateOptionsOf,
  generatePmappings,
  generateSteps,
  Joiner,
  keepAllRows,
  loadPruner,
  type MapperError,
  paretoFront,
  ParetoPruner,
  type PmappingTable,
  PROBE_AT_MOST_ROWS,
  PROBE_ENDED,
  probeEndOf,
  probeOrder,
  type ProbeSearch,
  searchInThreadFirst,
  SearchLimitError,
  searchLayer,
  searchSetup
} from "../src/index.ts"
import { generateInWorkers } from "../src/parallel/generate-in-workers.ts"
import { type EinsumSearch, type GenerateOptions, openEinsumSearch } from "../src/generate/generate-pmappings.ts"
import type { Template } from "../src/template/template.ts"
import { probeEnded, threadCpuMicros } from "../src/generate/limits.ts"
import { PARETO_FRONT_MODULE } from "../src/service/pruner-module.ts"
import { mapFailure, mapping } from "./support/run-mapper.ts"
import { failingPruner, moduleOf } from "./support/test-pruners.ts"

const REPO = resolve(import.meta.dirname, "../../..")
const NO_LIMIT = budgetOf({ time_limit: Infinity, memory_limit: Infinity, memory_limit_per_process: Infinity, time_limit_per_pmapping_template: Infinity })
/** A table that says which Einsum it is of and how many of its `n` templates it covers. */
const table = (i: number, covered = 1, n = 1) => ({ einsum: `E${i}`, covered, counters: { templates: n } }) as unknown as PmappingTable
const coveredBy = (t: PmappingTable) => (t as unknown as { covered: number }).covered

/** A search of Einsum i's `n` templates whose template t runs `template(t, budget)`: its table says how many templates it holds (the ones a failure took back not counted). */
const fakeSearch = (i: number, n: number, template: (t: number, budget: Budget | undefined) => void): EinsumSearch => {
  let held = 0
  return {
    templates: Array.from({ length: n }) as Array<Template>,
    searchTemplate: (t, budget) => {
      template(t, budget)
      held++
    },
    addPart: () => expect.unreachable("the probe adds no part"),
    finish: () => table(i, held, n)
  }
}

/**
 * Einsums of `n` templates each. In template `at` of Einsum `slow`, the probe ends: `inside` as
 * a budget check there ends it (PROBE_ENDED), else the template runs past the probe's CPU
 * deadline, so the probe ends after it.
 */
const probeSearch = (slow = -1, at = 0, n = 1, inside = true, split = true): ProbeSearch => ({
  split,
  open: (i) =>
    fakeSearch(i, n, (t, budget) => {
      if (i === slow && t === at && budget?.probe !== undefined) {
        if (inside) throw new SearchLimitError({ limit: "time_limit", reason: PROBE_ENDED })
        while (threadCpuMicros() <= budget.probe.threadCpuDeadline) Math.sqrt(t)
      }
    })
})

const exitOf = <A>(effect: Effect.Effect<A, MapperError>) => Effect.runPromiseExit(effect)

describe("the per-Einsum search tries this thread first", () => {
  it("every Einsum finished within the probe: all tables kept, in the order asked", async () => {
    const probed = await Effect.runPromise(searchInThreadFirst([2, 0, 1], NO_LIMIT, probeSearch(-1, 0, 3)))
    expect([...probed.done.keys()]).toEqual([2, 0, 1])
    expect(probed.done.get(0)!.einsum).toBe("E0")
    expect(coveredBy(probed.done.get(0)!)).toBe(3)
    expect(probed.begun).toBeUndefined()
  })

  it("the probe's end inside an Einsum's template: the Einsums before it kept, it handed over with the templates before that one (taken back), the rest left whole", async () => {
    const probed = await Effect.runPromise(searchInThreadFirst([0, 1, 2], NO_LIMIT, probeSearch(1, 2, 4)))
    expect([...probed.done.keys()]).toEqual([0])
    expect(probed.begun!.einsum).toBe(1)
    expect(probed.begun!.searched).toBe(2)
    expect(coveredBy(probed.begun!.search.finish())).toBe(2)
  })

  it("... in its first template: it goes whole", async () => {
    const probed = await Effect.runPromise(searchInThreadFirst([0, 1, 2], NO_LIMIT, probeSearch(1, 0, 4)))
    expect([...probed.done.keys()]).toEqual([0])
    expect(probed.begun).toBeUndefined()
  })

  it("the probe's end between templates: the templates searched are handed over with the Einsum, as one table", async () => {
    const probed = await Effect.runPromise(searchInThreadFirst([0, 1, 2], NO_LIMIT, probeSearch(1, 1, 4, false), { cpuMs: 20 }))
    expect([...probed.done.keys()]).toEqual([0])
    expect(probed.begun!.einsum).toBe(1)
    expect(probed.begun!.searched).toBe(2)
    expect(coveredBy(probed.begun!.search.finish())).toBe(2)
  })

  it("... unless the Einsum's fronts may not be taken in parts: then it goes whole", async () => {
    const probed = await Effect.runPromise(searchInThreadFirst([0, 1], NO_LIMIT, probeSearch(1, 1, 4, false, false), { cpuMs: 20 }))
    expect([...probed.done.keys()]).toEqual([0])
    expect(probed.begun).toBeUndefined()
  })

  it("a probe of no CPU time leaves every Einsum to the workers", async () => {
    const probed = await Effect.runPromise(searchInThreadFirst([0, 1], NO_LIMIT, probeSearch(), { cpuMs: -1 }))
    expect(probed.done.size).toBe(0)
    expect(probed.begun).toBeUndefined()
  })

  it("the search's own time_limit, when past, still ends the search", async () => {
    const past: Budget = { ...NO_LIMIT, deadline: Date.now() - 1000, timeLimit: 1 }
    const exit = await exitOf(searchInThreadFirst([0, 1], past, { split: true, open: (i) => fakeSearch(i, 1, (_t, budget) => checkBudget(budget, "searching")) }))
    expect(Exit.isFailure(exit) && String(exit.cause)).toContain("time_limit of 1 s exceeded while searching")
  })

  it("a budget with the probe's end stops the search there, with PROBE_ENDED; without it, never", () => {
    expect(() => checkBudget({ ...NO_LIMIT, probe: { threadCpuDeadline: 0 } }, "searching")).toThrow(PROBE_ENDED)
    expect(() => checkBudget({ ...NO_LIMIT, probe: { threadCpuDeadline: Infinity } }, "searching")).not.toThrow()
  })

  it("a probe's later end applies past its first deadline, and is asked only there", () => {
    let asked = 0
    const later = () => {
      asked++
      return { threadCpuDeadline: Infinity }
    }
    expect(probeEnded({ threadCpuDeadline: Infinity, later })).toBe(false)
    expect(asked).toBe(0)
    expect(probeEnded({ threadCpuDeadline: 0, later })).toBe(false)
    expect(() => checkBudget({ ...NO_LIMIT, probe: { threadCpuDeadline: 0, later } }, "searching")).not.toThrow()
    expect(asked).toBe(2)
    expect(probeEnded({ threadCpuDeadline: 0, later: () => ({ threadCpuDeadline: 0 }) })).toBe(true)
  })

  it("a probe's length given as a function is asked once, and only when the thread passes the shortest length it may have", () => {
    let asked = 0
    const length = () => {
      asked++
      return 1000
    }
    const started = threadCpuMicros()
    const end = probeEndOf(started, length)
    expect(end.threadCpuDeadline).toBe(started + 300_000)
    expect(asked).toBe(0)
    expect(end.later!().threadCpuDeadline).toBe(started + 1_000_000)
    end.later!()
    expect(asked).toBe(1)
    expect(probeEndOf(started, 20)).toEqual({ threadCpuDeadline: started + 20_000 })
  })

  it("a small search's probe never asks its length (the bundle's freshness: a stat per source file)", async () => {
    let asked = 0
    const probed = await Effect.runPromise(searchInThreadFirst([0, 1, 2], NO_LIMIT, probeSearch(-1, 0, 3), {
      cpuMs: () => {
        asked++
        return 1000
      }
    }))
    expect(probed.done.size).toBe(3)
    expect(asked).toBe(0)
  })

  it("any other failure ends the search", async () => {
    const refused = new InvalidMappingError({ reason: "refused", einsum: "E1", path: [] })
    const exit = await exitOf(searchInThreadFirst([0, 1], NO_LIMIT, {
      split: true,
      open: (i) =>
        fakeSearch(i, 1, () => {
          if (i === 1) throw refused
        })
    }))
    expect(Exit.isFailure(exit) && String(exit.cause)).toContain("refused")
  })
})

/** The first Einsum of a chain of two matmuls on two_level, its search options and its whole search's table. */
const firstOfChain = async () => {
  const loaded = await Effect.runPromise(loadSpec({
    files: [resolve(REPO, "examples/arches/two_level.yaml"), resolve(REPO, "examples/workloads/matmul_chain.yaml")],
    variables: { LAYERS: 2 },
    overrides: []
  }))
  const setup = searchSetup(loaded)
  const ctx = setup.contexts[0]!
  const options = { ...generateOptionsOf(loaded, setup, ctx), prune: paretoFront }
  return { loaded, setup, ctx, options, whole: generatePmappings(ctx, options) }
}

describe("an Einsum's search a template at a time", () => {
  it("run to the end, is the search of all its templates; stopped, the part of the templates searched", async () => {
    const { ctx, options, whole } = await firstOfChain()
    const steps = generateSteps(ctx, options)
    const yielded: Array<number> = []
    for (let step = steps.next(); step.done !== true; step = steps.next(step.value === 3)) yielded.push(step.value)
    expect(yielded).toEqual([1, 2, 3])
    const stopped = generateSteps(ctx, options)
    let step = stopped.next()
    while (step.done !== true) step = stopped.next(step.value === 3)
    expect(step.value.groups).toEqual(generatePmappings(ctx, { ...options, templateRange: [0, 3] }).groups)
    const all = generateSteps(ctx, options)
    let last = all.next()
    while (last.done !== true) last = all.next(false)
    expect(last.value.groups).toEqual(whole.groups)
    expect(last.value.counters).toEqual(whole.counters)
  }, 120_000)
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

/** An Einsum's search as the probe leaves it: open, undoable, its first `searched` templates in it. */
const probedSearch = (ctx: EinsumContext, options: GenerateOptions, searched: number): EinsumSearch => {
  const search = openEinsumSearch(ctx, options, true)
  for (let t = 0; t < searched; t++) search.searchTemplate(t, undefined)
  return search
}

describe("an Einsum the probe began, finished on this thread", () => {
  it("gives the table one search of all its templates gives, wherever the probe ended", async () => {
    const { loaded, setup, ctx, options, whole } = await firstOfChain()
    const n = setup.templates[0]!.length
    for (let searched = 1; searched < n; searched++) {
      // The probe searched the first `searched` templates; this thread takes the rest as jobs into its search, smallest first, no worker started.
      const search = probedSearch(ctx, options, searched)
      const [finished] = await Effect.runPromise(generateInWorkers({
        loaded, setup, pruner: PARETO_FRONT_MODULE, jobs: 1, einsums: [0], started: Date.now(), begun: { einsum: 0, searched, search }, hereToo: true,
        onWorkerStart: () => expect.unreachable("no worker starts with one job")
      }))
      expect(finished!.groups).toEqual(whole.groups)
      expect(finished!.counters).toEqual(whole.counters)
    }
  }, 120_000)

  it("... and when this thread's jobs are capped (the command line): the job past the cap goes to a worker started then, and its tables into the probe's search", async () => {
    const { loaded, setup, ctx, options, whole } = await firstOfChain()
    const search = probedSearch(ctx, options, 3)
    const [finished] = await Effect.runPromise(generateInWorkers({
      loaded, setup, pruner: PARETO_FRONT_MODULE, jobs: 1, einsums: [0], started: Date.now(), begun: { einsum: 0, searched: 3, search }, hereToo: true, hereCpuMsPerJob: 0
    }))
    expect(finished!.groups).toEqual(whole.groups)
    expect(finished!.counters).toEqual(whole.counters)
  }, 120_000)
})

describe("an Einsum the probe began, finished on a worker thread", () => {
  it("gives the table one search of all its templates gives", async () => {
    const { loaded, setup, ctx, options, whole } = await firstOfChain()
    // The probe searched the first three templates.
    const search = probedSearch(ctx, options, 3)
    expect(setup.templates[0]!.length).toBeGreaterThan(3)
    const reported: Array<number> = []
    const [finished] = await Effect.runPromise(generateInWorkers({
      loaded, setup, pruner: PARETO_FRONT_MODULE, jobs: 1, einsums: [0], started: Date.now(), begun: { einsum: 0, searched: 3, search },
      onProgress: (p) => reported.push(p.done)
    }))
    // The worker searched only the other templates, and counts on from the probe's.
    const n = setup.templates[0]!.length
    expect(reported).toEqual(Array.from({ length: n - 3 }, (_, k) => k + 4))
    expect(finished!.counters).toEqual(whole.counters)
    expect(finished!.groups).toEqual(whole.groups)
  }, 120_000)
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
