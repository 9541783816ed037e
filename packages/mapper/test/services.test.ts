/**
 * The mapper's Effect services compose as designed: the Mapper searches a loaded spec (files
 * only through the SpecLoader), evaluates its answer through the Evaluator, and uses whichever
 * SpecLoader, Evaluator, ParetoPruner, PmappingGenerator and Joiner its Layer provides, on one
 * thread and on worker threads; a typed failure raised in a worker arrives as the same error.
 * Also: worker threads give the same answer as one thread; the join's ablation switches change
 * the work, not the answer; budgets end a run with a typed error.
 */
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { type Context, Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { SpecLoader } from "@effect-accelforge/core"
import { Evaluator, InvalidMappingError } from "@effect-accelforge/model"
import {
  Joiner,
  type JoinResult,
  Mapper,
  ParetoPruner,
  paretoFront,
  PmappingGenerator,
  searchLayer,
  ServiceConfigurationError,
  type SpecRequest
} from "../src/index.ts"
import { BEAM_WIDTH } from "../src/join/beam-join.ts"
import { joinPmappings } from "../src/join/join-pmappings.ts"
import { einsumTensors, searchSetup } from "../src/search/search-setup.ts"
import { mapFailure, mapFiles } from "./support/run-mapper.ts"
import { failingPruner, firstThreeOfFront, moduleOf } from "./support/test-pruners.ts"

const REPO = resolve(import.meta.dirname, "../../..")
const request = (overrides: ReadonlyArray<string> = []): SpecRequest => ({
  files: [resolve(REPO, "examples/arches/two_level.yaml"), resolve(REPO, "examples/workloads/matmul_chain.yaml")],
  variables: { LAYERS: 3 },
  overrides: ["arch.nodes.0.tensors.keep=All", ...overrides]
})

// With more than one job, on worker threads even when the search is small (these tests are of the threads).
const filesSearch = (req: SpecRequest, jobs: number) =>
  Effect.gen(function*() {
    return yield* (yield* Mapper).mapFiles(req, { jobs, smallInThread: jobs === 1 })
  })

/** A variant of a service built on its default Layer `base` (how a program swaps one service for its own). */
const variantOf = <I, S, R>(tag: Context.Key<I, S>, base: Layer.Layer<I, never, R>, make: (base: S) => S): Layer.Layer<I, never, R> =>
  Layer.effect(tag, Effect.map(tag, make)).pipe(Layer.provide(base))

const paretoRows = (r: { readonly counters: ReadonlyArray<{ readonly paretoOptimal: number }> }) => r.counters.reduce((s, c) => s + c.paretoOptimal, 0)

describe("Mapper service", () => {
  it("two worker threads find the same mapping as one thread", async () => {
    const one = await mapFiles(request(), { jobs: 1 })
    const two = await mapFiles(request(), { jobs: 2, smallInThread: false })
    expect(two.evaluation.energy).toBe(one.evaluation.energy)
    expect(two.evaluation.latency).toBe(one.evaluation.latency)
    expect(two.counters).toEqual(one.counters)
    expect(JSON.stringify(two.source.mapping)).toBe(JSON.stringify(one.source.mapping))
    // The threads each search ran on: one, and this thread with a worker.
    expect([one.searchThreads, two.searchThreads]).toEqual([1, 2])
    // Two allowed on a search that ends before a worker pays (worker-gate.ts): it says it ran on one.
    const small = await mapFiles(request(), { jobs: 2 })
    expect(small.searchThreads).toBe(1)
    expect(small.evaluation.energy).toBe(one.evaluation.energy)
  }, 60_000)

  it("the numbers reported are the model's, and equal the mapper's own sums", async () => {
    const r = await mapFiles(request(), { jobs: 1 })
    expect(r.evaluation.energy).toBeCloseTo(r.objectives.energy!, 6)
    expect(r.counters.every((c) => c.paretoOptimal >= 1 && c.total >= c.paretoOptimal)).toBe(true)
  }, 60_000)

  it("time_limit ends the search with a SearchLimitError, from a worker thread too", async () => {
    for (const jobs of [1, 2]) {
      const error = await mapFailure(filesSearch(request(["mapper.time_limit=1e-9"]), jobs))
      expect(error).toMatchObject({ _tag: "SearchLimitError", limit: "time_limit" })
      expect(error.message).toContain("time_limit")
    }
  }, 60_000)

  it("a spec error is a typed failure naming the file", async () => {
    const error = await mapFailure(filesSearch({ ...request(), files: [resolve(REPO, "examples/arches/missing.yaml")] }, 1))
    expect(error._tag).toBe("SpecLoadError")
    expect(error.message).toContain("missing.yaml")
  })

  describe.each([1, 2])("swapped services, on %i thread(s)", (jobs) => {
    it("SpecLoader: the spec is loaded once, by the loader given, and every thread searches it", async () => {
      let loads = 0
      // A loader that also asks for latency alone (no tie-break column): the tables (made in the workers with jobs 2) must have its column.
      const latencyLoader = variantOf(SpecLoader, SpecLoader.layer, (base) => ({
        load: (options) =>
          Effect.sync(() => loads++).pipe(Effect.andThen(base.load({ ...options, overrides: [...(options.overrides ?? []), "mapper.metrics=LATENCY", "mapper._tie_break=first"] })))
      }))
      const r = await mapFiles(request(), { jobs }, searchLayer({ specLoader: latencyLoader }))
      expect(loads).toBe(1)
      expect(r.loaded.spec.mapper.metrics).toBe(1)
      expect(r.tables.map((t) => t.columns.map((c) => c.name))).toEqual(r.tables.map(() => ["latency"]))
      expect(Object.keys(r.objectives)).toEqual(["latency"])
    }, 60_000)

    it("Evaluator: the answer is the evaluation the Evaluator given returns", async () => {
      const evaluated: Array<number> = []
      const doubling = variantOf(Evaluator, Evaluator.layer, (base) => ({
        ...base,
        evaluate: (loaded, mapping) =>
          base.evaluate(loaded, mapping).pipe(Effect.map((e) => {
            evaluated.push(e.energy)
            return { ...e, energy: 2 * e.energy }
          }))
      }))
      const r = await mapFiles(request(), { jobs }, searchLayer({ evaluator: doubling }))
      expect(evaluated).toHaveLength(1)
      expect(r.evaluation.energy).toBe(2 * evaluated[0]!)
      expect(r.objectives.energy).toBeCloseTo(evaluated[0]!, 6)
    }, 60_000)

    it("ParetoPruner: the pruner given prunes every stage, worker threads included", async () => {
      const lossyLayer = () => searchLayer({ paretoPruner: ParetoPruner.make(firstThreeOfFront, moduleOf("firstThreeOfFront")) })
      // Fused: the intermediate may stay in the scratchpad, so complete tile rows are pruned before scoring.
      const fused: SpecRequest = { ...request(), variables: { LAYERS: 2 }, overrides: [] }
      const exact = await mapFiles(fused, { jobs, smallInThread: false })
      const lossy = await mapFiles(fused, { jobs, smallInThread: false }, lossyLayer())
      const scored = (r: typeof exact) => r.counters.reduce((s, c) => s + c.valid, 0)
      // Partial tile rows (fewer rows reach scoring), every table group and every join group use it.
      expect(scored(lossy)).toBeLessThan(scored(exact))
      for (const t of lossy.tables) for (const g of t.groups) expect(g.rows).toBeLessThanOrEqual(3)
      for (const step of lossy.joinSteps) expect(step.rowsKept).toBeLessThanOrEqual(3 * step.groupsKept)
      // One thread is the reference for two.
      const lossyOne = await mapFiles(fused, { jobs: 1 }, lossyLayer())
      expect(lossy.counters).toEqual(lossyOne.counters)
    }, 120_000)

    it("PmappingGenerator: the Mapper asks the generator given, with its thread count", async () => {
      const asked: Array<number> = []
      const recording = variantOf(PmappingGenerator, PmappingGenerator.layerWithoutDependencies, (base) => ({
        ...base,
        generate: (loaded, setup, options) => {
          asked.push(options.jobs)
          // Drop each table's groups but the first: the answer can only come from these tables.
          return base.generate(loaded, setup, options).pipe(Effect.map((tables) => tables.map((t) => ({ ...t, groups: t.groups.slice(0, 1) }))))
        }
      }))
      const r = await mapFiles(request(), { jobs }, searchLayer({ pmappingGenerator: recording }))
      expect(asked).toEqual([jobs])
      expect(r.tables.every((t) => t.groups.length === 1)).toBe(true)
    }, 60_000)

    it("Joiner: the Mapper's front is the one the Joiner given returns", async () => {
      const joined: Array<JoinResult> = []
      const recording = variantOf(Joiner, Joiner.layerWithoutDependencies, (base) => ({
        join: (tables, setup, options) => base.join(tables, setup, options).pipe(Effect.tap((j) => Effect.sync(() => joined.push(j))))
      }))
      const r = await mapFiles(request(), { jobs }, searchLayer({ joiner: recording }))
      expect(joined).toHaveLength(1)
      expect(r.front).toBe(joined[0]!.front)
      expect(r.joinSteps).toBe(joined[0]!.steps)
    }, 60_000)
  })

  it("an ablation that keeps every per-Einsum row (the join prunes as usual) finds the same optimum from more rows", async () => {
    const keepAll = searchLayer({ pmappingGenerator: PmappingGenerator.layerWithoutDependencies.pipe(Layer.provide(ParetoPruner.keepAll)) })
    const req = request(["mapper.metrics=LATENCY"])
    const exact = await mapFiles(req, { jobs: 2 })
    const ablation = await mapFiles(req, { jobs: 2 }, keepAll)
    expect(ablation.evaluation.latency).toBe(exact.evaluation.latency)
    expect(paretoRows(ablation)).toBeGreaterThan(paretoRows(exact))
  }, 120_000)

  it("a pruner that names no module runs on one thread, and on worker threads fails with one clear error", async () => {
    const inline = searchLayer({ paretoPruner: ParetoPruner.make(firstThreeOfFront) })
    const one = await mapFiles(request(), { jobs: 1 }, inline)
    expect(one.counters.length).toBe(3)
    const error = await mapFailure(filesSearch(request(), 2), inline)
    expect(error).toBeInstanceOf(ServiceConfigurationError)
    expect(error.message).toMatch(/ParetoPruner.*names no module.*jobs: 1/)
  }, 60_000)

  it("a typed error raised in a worker thread arrives with the same tag and fields", async () => {
    const failing = searchLayer({ paretoPruner: ParetoPruner.make(failingPruner, moduleOf("failingPruner")) })
    const error = await mapFailure(filesSearch(request(), 2), failing)
    expect(error).toBeInstanceOf(InvalidMappingError)
    const e = error as InvalidMappingError
    expect(e.reason).toMatch(/^refused in thread [1-9]/)
    expect({ tag: e._tag, einsum: e.einsum, path: e.path }).toEqual({ tag: "InvalidMappingError", einsum: "X1", path: ["mapping", "nodes", "3"] })
  }, 60_000)

  describe("join ablation switches (fused chain, scratchpad small enough to be tracked)", () => {
    const fused = (overrides: ReadonlyArray<string> = []): SpecRequest => ({
      files: request().files,
      variables: { LAYERS: 3, SCRATCHPAD_KIB: 64 },
      overrides
    })
    const total = (r: Awaited<ReturnType<typeof mapFiles>>, key: "pairsTried" | "pairsJoined" | "groupsKept") =>
      r.joinSteps.reduce((s, step) => s + step[key], 0)

    it("_skip_invalid=false looks at every group pair and finds the same mapping", async () => {
      const exact = await mapFiles(fused())
      const ablation = await mapFiles(fused(["mapper._skip_invalid=false"]))
      expect(ablation.evaluation.energy).toBe(exact.evaluation.energy)
      expect(total(ablation, "pairsJoined")).toBe(total(exact, "pairsJoined"))
      expect(total(ablation, "pairsTried")).toBeGreaterThan(total(exact, "pairsTried"))
    }, 60_000)

    it("_combine_reservations=false keeps groups apart and finds the same mapping", async () => {
      const exact = await mapFiles(fused())
      const ablation = await mapFiles(fused(["mapper._combine_reservations=false"]))
      expect(exact.joinSteps.length).toBe(3)
      expect(ablation.evaluation.energy).toBe(exact.evaluation.energy)
      expect(total(ablation, "groupsKept")).toBeGreaterThan(total(exact, "groupsKept"))
    }, 60_000)

    it("the join's sieve (with the exact pruner only) keeps the same rows at every step as pruning everything formed", async () => {
      // The same exact front behind another function: the join cannot tell it is exact, so it sieves nothing.
      const unsieved = searchLayer({ paretoPruner: ParetoPruner.make((columns, goals, options) => paretoFront(columns, goals, options)) })
      // Without the join's bound (exact pruner only too): it would drop rows the plain run keeps.
      const exact = await mapFiles(fused(["mapper._bound_join=false"]), { jobs: 1 })
      const plain = await mapFiles(fused(["mapper._bound_join=false"]), { jobs: 1 }, unsieved)
      const kept = (r: typeof exact) => r.joinSteps.map((s) => [s.rowsFormed, s.rowsKept, s.groupsKept])
      expect(kept(exact)).toEqual(kept(plain))
      expect(exact.evaluation.energy).toBe(plain.evaluation.energy)
      expect(JSON.stringify(exact.source.mapping)).toBe(JSON.stringify(plain.source.mapping))
    }, 60_000)

    it("_bound_join=false joins the whole front; the bound keeps fewer rows and picks the same mapping, on a join worker too", async () => {
      const rowsKept = (r: Awaited<ReturnType<typeof mapFiles>>) => r.joinSteps.map((step) => step.rowsKept)
      const whole = await mapFiles(fused(["mapper._bound_join=false"]))
      const bounded = await mapFiles(fused())
      const worker = await mapFiles(fused(), { jobs: 2, inWorkers: true, smallInThread: false })
      expect(rowsKept(bounded).reduce((s, n) => s + n)).toBeLessThan(rowsKept(whole).reduce((s, n) => s + n))
      expect(rowsKept(worker)).toEqual(rowsKept(bounded))
      for (const r of [bounded, worker]) {
        expect(r.objectives).toEqual(whole.objectives)
        expect(JSON.stringify(r.source.mapping)).toBe(JSON.stringify(whole.source.mapping))
      }
    }, 60_000)

    it("the joins made before the full one are reported apart from its steps: the unfused best-so-far, then the beam bounding the join", async () => {
      const result = await mapFiles(fused())
      expect(result.preliminaryJoins?.map((s) => s.phase)).toEqual(["unfused", "upper bound"])
      expect(result.joinSteps.map((s) => s.phase)).toEqual(["consolidate", "join", "join"])
      // The beam keeps at most BEAM_WIDTH rows per group, and ends with one group (every compatibility closed).
      const beam = result.preliminaryJoins![1]!
      expect(beam.groupsKept).toBe(1)
      expect(beam.rowsKept).toBeLessThanOrEqual(BEAM_WIDTH)
      expect(beam.pairsJoined).toBeGreaterThan(0)
    }, 60_000)

    it("a beam that cuts no front is the full join: only the unfused join comes before it, and it finds the unbounded join's optimum", async () => {
      // Fused, but with the scratchpad untracked every group's front has at most BEAM_WIDTH rows.
      const uncut: SpecRequest = { files: request().files, variables: { LAYERS: 3 }, overrides: [] }
      const result = await mapFiles(uncut)
      const whole = await mapFiles({ ...uncut, overrides: ["mapper._bound_join=false"] })
      expect(result.preliminaryJoins?.map((s) => s.phase)).toEqual(["unfused"])
      expect(result.joinSteps.map((s) => s.phase)).toEqual(["consolidate", "join", "join"])
      // The same objectives; the mapping may be another one tied with it in every objective (join-bound.ts, "Order").
      expect(result.objectives).toEqual(whole.objectives)
    }, 60_000)

    it("with every pmapping unfused (shared tensors kept whole), the unfused join is the only join: the front of joining the tables in full", async () => {
      const result = await mapFiles(request())
      expect(result.tables.every((t) => t.groups.every((g) => g.depth === 0))).toBe(true)
      expect(result.preliminaryJoins).toBeUndefined()
      expect(result.joinSteps.map((s) => s.phase)).toEqual(["consolidate", "join", "join"])
      const setup = searchSetup(result.loaded)
      const full = joinPmappings(result.tables, { config: setup.config, einsumTensors: einsumTensors(setup), prune: paretoFront, composition: setup.composition })
      expect(result.front.objectives).toEqual(full.front.objectives)
      expect(result.front.choices).toEqual(full.front.choices)
    }, 60_000)

    it("_runtime_log_file gets one JSON line per join step", async () => {
      const file = join(mkdtempSync(join(tmpdir(), "ffm-log-")), "runtime.jsonl")
      const result = await mapFiles(fused([`mapper._runtime_log_file=${file}`]))
      const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { einsum: string; phase: string })
      expect(lines.map((l) => l.einsum)).toEqual(["X1", "X2", "X3"])
      expect(lines.map((l) => l.phase)).toEqual(["consolidate", "join", "join"])
      expect(lines).toEqual(JSON.parse(JSON.stringify(result.joinSteps)))
    }, 60_000)
  })
})
