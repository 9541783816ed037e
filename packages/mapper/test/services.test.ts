/**
 * The mapper's Effect services: the Mapper composes generator and pruner; worker threads give
 * the same answer as one thread; swapping the ParetoPruner Layer runs an ablation; the join's
 * ablation switches change the work, not the answer; budgets end a run with a typed error.
 */
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { Joiner, Mapper, ParetoPruner, PmappingGenerator, type SpecRequest } from "../src/index.ts"

const REPO = resolve(import.meta.dirname, "../../..")
const request = (overrides: ReadonlyArray<string> = []): SpecRequest => ({
  files: [resolve(REPO, "examples/arches/two_level.yaml"), resolve(REPO, "examples/workloads/matmul_chain.yaml")],
  variables: { LAYERS: 3 },
  overrides: ["arch.nodes.0.tensors.keep=All", ...overrides]
})

const run = (req: SpecRequest, jobs: number, layer = Mapper.layer) =>
  Effect.runPromise(Effect.gen(function*() {
    const mapper = yield* Mapper
    return yield* mapper.map(req, { jobs })
  }).pipe(Effect.provide(layer)))

describe("Mapper service", () => {
  it("two worker threads find the same mapping as one thread", async () => {
    const one = await run(request(), 1)
    const two = await run(request(), 2)
    expect(two.evaluation.energy).toBe(one.evaluation.energy)
    expect(two.evaluation.latency).toBe(one.evaluation.latency)
    expect(two.counters).toEqual(one.counters)
    expect(JSON.stringify(two.source.mapping)).toBe(JSON.stringify(one.source.mapping))
  }, 60_000)

  it("the numbers reported are the model's, and equal the mapper's own sums", async () => {
    const r = await run(request(), 1)
    expect(r.evaluation.energy).toBeCloseTo(r.objectives.energy!, 6)
    expect(r.counters.every((c) => c.paretoOptimal >= 1 && c.total >= c.paretoOptimal)).toBe(true)
  }, 60_000)

  it("an ablation Layer that keeps every row finds the same optimum from more Pareto rows", async () => {
    // Keep every per-Einsum row; the Joiner keeps its exact pruner.
    const keepAll = Mapper.layerWithoutDependencies.pipe(
      Layer.provide(Layer.mergeAll(PmappingGenerator.layerWithoutDependencies.pipe(Layer.provide(ParetoPruner.keepAll)), Joiner.layer))
    )
    const exact = await run(request(), 1)
    const ablation = await run(request(), 2, keepAll)
    expect(ablation.evaluation.energy).toBe(exact.evaluation.energy)
    const rows = (r: typeof exact) => r.counters.reduce((s, c) => s + c.paretoOptimal, 0)
    expect(rows(ablation)).toBeGreaterThan(rows(exact))
  }, 60_000)

  it("time_limit ends the search with a SearchLimitError", async () => {
    const error = await Effect.runPromise(Effect.flip(Effect.gen(function*() {
      const mapper = yield* Mapper
      return yield* mapper.map(request(["mapper.time_limit=1e-9"]), { jobs: 1 })
    }).pipe(Effect.provide(Mapper.layer))))
    expect(error._tag).toBe("SearchLimitError")
    expect(error.message).toContain("time_limit")
  })

  it("a spec error is a typed failure naming the file", async () => {
    const error = await Effect.runPromise(Effect.flip(Effect.gen(function*() {
      const mapper = yield* Mapper
      return yield* mapper.map({ ...request(), files: [resolve(REPO, "examples/arches/missing.yaml")] }, { jobs: 1 })
    }).pipe(Effect.provide(Mapper.layer))))
    expect(error._tag).toBe("SpecLoadError")
    expect(error.message).toContain("missing.yaml")
  })

  describe("join ablation switches (fused chain, scratchpad small enough to be tracked)", () => {
    const fused = (overrides: ReadonlyArray<string> = []): SpecRequest => ({
      files: request().files,
      variables: { LAYERS: 3, SCRATCHPAD_KIB: 64 },
      overrides
    })
    const total = (r: Awaited<ReturnType<typeof run>>, key: "pairsTried" | "pairsJoined" | "groupsKept") =>
      r.joinSteps.reduce((s, step) => s + step[key], 0)

    it("_skip_invalid=false looks at every group pair and finds the same mapping", async () => {
      const exact = await run(fused(), 1)
      const ablation = await run(fused(["mapper._skip_invalid=false"]), 1)
      expect(ablation.evaluation.energy).toBe(exact.evaluation.energy)
      expect(total(ablation, "pairsJoined")).toBe(total(exact, "pairsJoined"))
      expect(total(ablation, "pairsTried")).toBeGreaterThan(total(exact, "pairsTried"))
    }, 60_000)

    it("_combine_reservations=false keeps groups apart and finds the same mapping", async () => {
      const exact = await run(fused(), 1)
      const ablation = await run(fused(["mapper._combine_reservations=false"]), 1)
      expect(exact.joinSteps.length).toBe(3)
      expect(ablation.evaluation.energy).toBe(exact.evaluation.energy)
      expect(total(ablation, "groupsKept")).toBeGreaterThan(total(exact, "groupsKept"))
    }, 60_000)

    it("_runtime_log_file gets one JSON line per join step", async () => {
      const file = join(mkdtempSync(join(tmpdir(), "ffm-log-")), "runtime.jsonl")
      const result = await run(fused([`mapper._runtime_log_file=${file}`]), 1)
      const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { einsum: string; phase: string })
      expect(lines.map((l) => l.einsum)).toEqual(["X1", "X2", "X3"])
      expect(lines.map((l) => l.phase)).toEqual(["consolidate", "join", "join"])
      expect(lines).toEqual(JSON.parse(JSON.stringify(result.joinSteps)))
    }, 60_000)
  })
})
