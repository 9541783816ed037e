/**
 * The points of the answer: a run with two objectives answers with every point of its front,
 * each evaluated by the model, the chosen one first; a run with one objective answers with the
 * chosen mapping alone (the Mapper then skips listing the front's points, which would give it
 * again). overlap_demo's cascade, fused, trades energy for latency (two points today).
 */
import { resolve } from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { loadSpec } from "@effect-accelforge/core"
import { mapSpec } from "./support/run-mapper.ts"

const REPO = resolve(import.meta.dirname, "../../..")
const files = [resolve(REPO, "examples/arches/overlap_demo.yaml"), resolve(REPO, "examples/workloads/producer_consumer_cascade.yaml")]
const map = async (metrics: string) =>
  mapSpec(await Effect.runPromise(loadSpec({ files, variables: {}, overrides: [`mapper.metrics=${metrics}`, "mapper.max_fused_loops=1"] })))

describe("the answer's points", () => {
  it("energy and latency: every point of the front, the chosen one first, each the model's", async () => {
    const front = await map("ENERGY|LATENCY")
    // The case is chosen for a trade-off: more than one point, and every one of them answered.
    expect(front.frontSize).toBeGreaterThan(1)
    expect(front.points.map((p) => p.row).sort((x, y) => x - y)).toEqual(Array.from({ length: front.frontSize }, (_, i) => i))
    expect(front.points[0]!.row).toBe(front.row)
    expect(front.points[0]!.evaluation).toEqual(front.evaluation)
    // A front: of any two points, each is better than the other on one objective.
    const evaluations = front.points.map((p) => p.evaluation)
    for (const [i, a] of evaluations.entries()) {
      for (const b of evaluations.slice(i + 1)) expect((a.energy - b.energy) * (a.latency - b.latency)).toBeLessThan(0)
    }
  }, 120_000)

  it("energy alone: the chosen mapping only, the front's cheapest", async () => {
    const [front, pick] = [await map("ENERGY|LATENCY"), await map("ENERGY")]
    expect(pick.frontSize).toBe(1)
    expect(pick.points).toHaveLength(1)
    expect(pick.points[0]!.row).toBe(pick.row)
    expect(pick.evaluation.energy).toBe(Math.min(...front.points.map((p) => p.evaluation.energy)))
  }, 120_000)
})
