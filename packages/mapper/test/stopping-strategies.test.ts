/**
 * Every strategy is an anytime search: stopped (an AbortSignal, as the CLI's SIGINT) or out of
 * `mapper.time_limit` / `memory_limit`, it answers with its best complete mapping so far, marked
 * incomplete, and the model's evaluation of that mapping is the one reported; with no complete
 * mapping yet it fails with the stop's or the limit's error. The stops here come from the
 * search's own callbacks (once a complete mapping exists, or at the first progress), so where
 * they fall does not depend on the machine's speed. FFM's join on this thread (no worker) is
 * stopped the same way.
 */
import { resolve } from "node:path"
import { Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { type LoadedSpec, loadSpec } from "@effect-accelforge/core"
import { budgetOf, type MapperError, searchLayer } from "../src/index.ts"
import { interruptionNow } from "../src/search/interruption.ts"
import { runStrategy, type StrategyOptions, type StrategyRun } from "../src/search/run-strategy.ts"
import { newStopFlag, raiseStop } from "../src/service/stop-flag.ts"
import { mapSpec } from "./support/run-mapper.ts"

const REPO = resolve(import.meta.dirname, "../../..")

/** Timeloop's give-up rules off: the per-Einsum searches run until stopped or done. */
const NO_GIVING_UP = ["mapper.search.victory_condition=0", "mapper.search.timeout=0"]

/** Two matmuls in a chain (or one matmul). */
const load = (workload: string, overrides: ReadonlyArray<string>): Promise<LoadedSpec> =>
  Effect.runPromise(loadSpec({
    files: [resolve(REPO, "examples/arches/two_level.yaml"), resolve(REPO, `examples/workloads/${workload}.yaml`)],
    variables: { LAYERS: 2, TOKENS: 512, WIDTH: 512 },
    overrides
  }))

const layer = searchLayer()

const run = (name: string, loaded: LoadedSpec, options: Partial<StrategyOptions>): Promise<Exit.Exit<StrategyRun, MapperError>> =>
  Effect.runPromiseExit(runStrategy(name, loaded, { jobs: 1, ...options }).pipe(Effect.provide(layer)))

const success = (exit: Exit.Exit<StrategyRun, MapperError>): StrategyRun => {
  if (Exit.isSuccess(exit)) return exit.value
  throw new Error(`the search failed: ${String(exit.cause)}`)
}

const failure = (exit: Exit.Exit<StrategyRun, MapperError>): MapperError => {
  if (Exit.isSuccess(exit)) throw new Error("the search succeeded; a typed failure was expected")
  const fail = exit.cause.reasons.find((r) => r._tag === "Fail")
  if (fail === undefined) throw new Error(`the search died: ${String(exit.cause)}`)
  return fail.error as MapperError
}

/** Stopped with SIGINT as soon as a complete mapping exists. */
const stoppedAtFirstMapping = (name: string, loaded: LoadedSpec, inWorkers: boolean) => {
  const stop = new AbortController()
  return run(name, loaded, { stop: stop.signal, onBestSoFar: () => stop.abort("SIGINT"), inWorkers })
}

/**
 * How X1's search ends by itself (then X2's starts): the slice used up (filter_revisits) for the
 * random strategies that read it, a share of max_evaluations for random-pruned, which would
 * otherwise draw forever.
 */
const ENDS_X1: Readonly<Record<string, ReadonlyArray<string>>> = {
  random: ["mapper.search.filter_revisits=true"],
  hybrid: ["mapper.search.filter_revisits=true"],
  "random-pruned": ["mapper.search.max_evaluations=1e4"]
}

describe("stopping the per-Einsum (Timeloop-style) strategies", () => {
  for (const name of ["random", "random-pruned", "linear-pruned", "exhaustive", "hybrid"]) {
    // The stop lives in the driver, the same for every strategy: one of them also on a worker thread.
    for (const inWorkers of name === "hybrid" ? [false, true] : [false]) {
      it(`${name} ${inWorkers ? "on a worker thread" : "on this thread"}: a stop answers with the composed per-Einsum bests, evaluated, marked incomplete`, async () => {
        const loaded = await load("matmul_chain", [...NO_GIVING_UP, ...ENDS_X1[name] ?? []])
        const r = success(await stoppedAtFirstMapping(name, loaded, inWorkers))
        expect(r.kind).toBe("einsum")
        if (r.kind !== "einsum") return
        expect(r.result.incomplete).toMatchObject({ cause: "SIGINT" })
        expect(r.result.incomplete!.reason).toMatch(/^stopped by SIGINT while searching Einsum X2/)
        expect(r.result.incomplete!.unexplored).toMatch(/^the search of Einsum X2 \(\d+ mappings tried, in a mapspace of \d+\) ended before its stopping rules did/)
        expect(r.timeloop.einsums.map((e) => e.threads.map((t) => t.stop === "stopped early"))).toEqual([[false], [true]])
        // The mapping reported is the per-Einsum bests composed; the model's energy is their sum (unfused: Einsums add).
        const sum = r.timeloop.einsums.reduce((s, e) => s + e.best.energy, 0)
        expect(r.result.evaluation.energy).toBeGreaterThan(0)
        expect(Math.abs(r.result.evaluation.energy - sum) / sum).toBeLessThan(1e-9)
      }, 120_000)
    }
  }

  it("a stop before every Einsum has a valid mapping fails with a SearchStoppedError naming the Einsum without one", async () => {
    const loaded = await load("matmul_chain", NO_GIVING_UP)
    const stop = new AbortController()
    const error = failure(await run("random", loaded, { stop: stop.signal, onThreads: () => stop.abort("SIGTERM") }))
    expect(error).toMatchObject({ _tag: "SearchStoppedError", cause: "SIGTERM" })
    expect(error.message).toContain("no valid mapping of Einsum X2 had been found")
  }, 120_000)

  it("time_limit on one Einsum's endless random search: its best so far, marked incomplete (exit 3 in the CLI)", async () => {
    // random with no give-up rule never ends by itself; the limit (checked every 256 mappings) ends it.
    const loaded = await load("matmul", [...NO_GIVING_UP, "mapper.time_limit=2"])
    const r = success(await run("random", loaded, {}))
    expect(r.result.incomplete).toMatchObject({ cause: "time_limit" })
    expect(r.result.incomplete!.reason).toContain("time_limit of 2 s exceeded while searching Einsum Z")
    expect(r.result.evaluation.energy).toBeGreaterThan(0)
  }, 120_000)

  it("memory_limit before any Einsum is searched: the limit's error, saying no complete mapping existed", async () => {
    const loaded = await load("matmul_chain", [...NO_GIVING_UP, "mapper.memory_limit=1"])
    const error = failure(await run("hybrid", loaded, {}))
    expect(error).toMatchObject({ _tag: "SearchLimitError", limit: "memory_limit" })
    expect(error.message).toContain("no complete mapping existed yet")
  }, 120_000)
})

describe("stopping sa and ga", () => {
  for (const name of ["sa", "ga"]) {
    it(`${name}: a stop answers with its best fused mapping so far, evaluated with its own objectives, marked incomplete`, async () => {
      const loaded = await load("matmul_chain", ["mapper.search.max_evaluations=1e15"])
      const r = success(await stoppedAtFirstMapping(name, loaded, false))
      expect(r.kind).toBe("workload")
      if (r.kind !== "workload") return
      expect(r.workload.stop).toBe("stopped early")
      expect(r.result.incomplete).toMatchObject({ cause: "SIGINT" })
      expect(r.result.incomplete!.reason).toMatch(new RegExp(`^stopped by SIGINT while searching with ${name}`))
      expect(r.result.incomplete!.unexplored).toMatch(new RegExp(`^${name} stopped after \\d+ fused mappings joined`))
      expect(Math.abs(r.result.evaluation.energy - r.result.objectives.energy!) / r.result.evaluation.energy).toBeLessThan(1e-9)
    }, 120_000)
  }
})

describe("stop checks", () => {
  it("the flag names the signal; the budget names its knob; the flag comes first", () => {
    const flag = newStopFlag()
    const budget = budgetOf({ time_limit: Infinity, memory_limit: 1, memory_limit_per_process: Infinity, time_limit_per_pmapping_template: Infinity })
    expect(interruptionNow(flag, undefined, "searching")).toBeUndefined()
    expect(interruptionNow(flag, budget, "searching")).toMatchObject({ cause: "memory_limit" })
    raiseStop(flag, "SIGTERM")
    expect(interruptionNow(flag, budget, "searching")).toEqual({ cause: "SIGTERM", reason: "stopped by SIGTERM while searching" })
  })

  it("FFM's join on this thread (no worker) sees a stop at its next check and answers with the unfused best-so-far", async () => {
    const loaded = await load("matmul_chain", [])
    const stop = new AbortController()
    const r = await mapSpec(loaded, { jobs: 1, stop: stop.signal, onJoinProgress: () => stop.abort("SIGINT") })
    expect(r.complete).toBe(false)
    expect(r.incomplete).toMatchObject({ cause: "SIGINT", reason: "stopped by SIGINT during the join" })
    expect(Math.abs(r.evaluation.energy - r.objectives.energy!) / r.evaluation.energy).toBeLessThan(1e-9)
  }, 120_000)
})
