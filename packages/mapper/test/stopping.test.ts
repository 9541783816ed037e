/**
 * Stopping a search well: a stop request (the CLI's SIGINT or SIGTERM) during the join answers
 * with the best complete mapping found so far (the join of the Einsums' unfused pmappings, made
 * before the full join), marked incomplete with what was not explored; during the per-Einsum
 * search, when no complete mapping exists yet, it fails with a SearchStoppedError. A time or
 * memory limit reached in the join answers with the best-so-far too, on this thread and on a
 * worker thread.
 */
import { resolve } from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { type LoadedSpec, loadSpec } from "@effect-accelforge/core"
import { Evaluator } from "@effect-accelforge/model"
import { chooseMapping, Joiner, PmappingGenerator, searchLayer, searchSetup } from "../src/index.ts"
import { mapFailure, mapping, mapSpec } from "./support/run-mapper.ts"

const REPO = resolve(import.meta.dirname, "../../..")
const load = (overrides: ReadonlyArray<string> = []): Promise<LoadedSpec> =>
  Effect.runPromise(loadSpec({
    files: [resolve(REPO, "examples/arches/two_level.yaml"), resolve(REPO, "examples/workloads/matmul_chain.yaml")],
    variables: { LAYERS: 3 },
    overrides
  }))

describe("stopping a search", () => {
  it("a stop during the join answers with the unfused best-so-far, evaluated, marked incomplete; never better than the full search", async () => {
    const loaded = await load()
    const full = await mapSpec(loaded, { jobs: 1, inWorkers: true })
    expect(full.complete).toBe(true)
    const stop = new AbortController()
    const stopped = await mapSpec(loaded, { jobs: 1, inWorkers: true, stop: stop.signal, onJoinProgress: () => stop.abort("SIGINT") })
    expect(stopped.complete).toBe(false)
    expect(stopped.incomplete).toMatchObject({ cause: "SIGINT", reason: "stopped by SIGINT during the join" })
    // The first progress comes from the beam join that bounds the full one (beam-join.ts).
    expect(stopped.incomplete!.unexplored).toMatch(/^the fused join stopped at Einsum X\d of the beam join that bounds it \(\d of 3\), before the full join started; .*best mapping without fused loops/)
    expect(stopped.evaluation.energy).toBeGreaterThanOrEqual(full.evaluation.energy)
    expect(stopped.evaluation.energy).toBeCloseTo(stopped.objectives.energy!, 6)
  }, 120_000)

  it("a stop during the per-Einsum search fails with a SearchStoppedError naming the signal", async () => {
    const loaded = await load()
    const stop = new AbortController()
    const error = await mapFailure(mapping(loaded, { jobs: 2, inWorkers: true, stop: stop.signal, onProgress: () => stop.abort("SIGTERM") }))
    expect(error).toMatchObject({ _tag: "SearchStoppedError", cause: "SIGTERM" })
    expect(error.message).toContain("per-Einsum search")
  }, 120_000)

  const limits = [
    // A 1 s limit on a search that "started" 10 s ago: it is past when the join starts.
    { knob: "time_limit", config: { time_limit: 1 }, started: () => Date.now() - 10_000, says: "time_limit of 1 s exceeded while joining Einsum" },
    // One byte of resident memory: exceeded at the join's first check.
    { knob: "memory_limit", config: { memory_limit: 1 }, started: () => Date.now(), says: "memory_limit of 1 bytes exceeded" }
  ] as const
  for (const limit of limits) {
    for (const inWorker of [false, true]) {
      it(`${limit.knob} reached in the join answers with the best-so-far (${inWorker ? "on a worker thread" : "on this thread"})`, async () => {
        const loaded = await load()
        const program = Effect.gen(function*() {
          const setup = searchSetup(loaded)
          const tables = yield* (yield* PmappingGenerator).generate(loaded, setup, { jobs: 1 })
          const limited = { ...setup, config: { ...setup.config, ...limit.config } }
          const joined = yield* (yield* Joiner).join(tables, limited, { started: limit.started(), inWorker, smallInThread: !inWorker })
          const chosen = chooseMapping(setup, tables, joined.front)
          const evaluation = yield* (yield* Evaluator).evaluate(loaded, chosen.source)
          return { joined, chosen, evaluation }
        })
        const { chosen, evaluation, joined } = await Effect.runPromise(program.pipe(Effect.provide(searchLayer())))
        expect(joined.incomplete).toMatchObject({ cause: limit.knob })
        expect(joined.incomplete!.reason).toContain(limit.says)
        expect(evaluation.energy).toBeCloseTo(chosen.objectives.energy!, 6)
        expect(evaluation.energy).toBeGreaterThan(0)
      }, 120_000)
    }
  }
})
