/**
 * A run with one objective breaks exact ties by the other (`_tie_break: objectives`, the
 * default): for latency, no point of the energy-latency Pareto front is as fast and cheaper
 * than the pick. AccelForge's order (`_tie_break: first`, which the reference tests use) keeps
 * the first tied mapping: on the matmul chain example it picks one with 13x the energy of
 * another as fast, which is what makes the first assertion able to fail.
 */
import { resolve } from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { type LoadedSpec, loadSpec } from "@effect-accelforge/core"
import type { MapResult } from "../src/index.ts"
import { mapSpec } from "./support/run-mapper.ts"

const REPO = resolve(import.meta.dirname, "../../..")
const files = [resolve(REPO, "examples/arches/two_level.yaml"), resolve(REPO, "examples/workloads/matmul_chain.yaml")]

const load = (overrides: ReadonlyArray<string>): Promise<LoadedSpec> => Effect.runPromise(loadSpec({ files, variables: {}, overrides }))

/** Front points (the model's numbers) as fast as the pick and cheaper than it. */
const asFastAndCheaper = (pick: MapResult, front: MapResult) =>
  front.points.filter((p) => p.evaluation.latency === pick.evaluation.latency && p.evaluation.energy < pick.evaluation.energy)

/** Front points cheaper than the pick and as fast. */
const asCheapAndFaster = (pick: MapResult, front: MapResult) =>
  front.points.filter((p) => p.evaluation.energy === pick.evaluation.energy && p.evaluation.latency < pick.evaluation.latency)

describe("single-objective tie-break", () => {
  it("latency: no Pareto point is as fast and uses less energy; AccelForge's first-wins order does pick a costlier twin", async () => {
    const front = await mapSpec(await load(["mapper.metrics=LATENCY|ENERGY"]))
    expect(front.points.length).toBe(front.frontSize)
    const pick = await mapSpec(await load(["mapper.metrics=LATENCY"]))
    expect(Math.min(...front.points.map((p) => p.evaluation.latency))).toBe(pick.evaluation.latency)
    expect(asFastAndCheaper(pick, front)).toEqual([])
    expect(pick.frontSize).toBe(1)
    expect(pick.points).toHaveLength(1)

    const first = await mapSpec(await load(["mapper.metrics=LATENCY", "mapper._tie_break=first"]))
    expect(first.evaluation.latency).toBe(pick.evaluation.latency)
    expect(asFastAndCheaper(first, front).length).toBeGreaterThan(0)
    expect(first.evaluation.energy).toBeGreaterThan(10 * pick.evaluation.energy)
  }, 120_000)

  it("energy: no Pareto point is as cheap and faster", async () => {
    const front = await mapSpec(await load(["mapper.metrics=LATENCY|ENERGY"]))
    const pick = await mapSpec(await load(["mapper.metrics=ENERGY"]))
    expect(Math.min(...front.points.map((p) => p.evaluation.energy))).toBe(pick.evaluation.energy)
    expect(asCheapAndFaster(pick, front)).toEqual([])
  }, 120_000)
})
