/**
 * The join's branch and bound (join/join-bound.ts) changes nothing the user sees: on small
 * random cascades (the brute-force cases of support/join-brute-force.ts) and for energy, latency
 * and EDP (tie-break on the objectives, the default: with `first` the bound is off, search/pick.ts),
 * the search with the bound (`mapper._bound_join`, the default) picks the same mapping with the
 * same objectives as the search joining the whole front, or both find none, in each overlap
 * mode (none, writeback, pipeline: model compose/objective-bound.ts); and the bound does drop
 * rows in most runs (else the test would say nothing). 18 cases: about 30 s on one core.
 * Both searches of a case and metric join the same per-Einsum tables (the first one's): the
 * bound is the join's alone, and that search is most of the CPU.
 */
import { Effect, Exit, Layer } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type LoadedSpec, loadSpec, METRIC_FLAGS } from "@effect-accelforge/core"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Mapper, type PmappingTable, PmappingGenerator, searchLayer } from "../src/index.ts"
import { pickedScalar } from "../src/search/pick.ts"
import type { SearchSetup } from "../src/search/search-setup.ts"
import { metricFlags, type Metric } from "./support/fused-brute-force.ts"
import { caseArbitrary } from "./support/join-brute-force.ts"
import { specText } from "./support/join-case.ts"
import { NO_TIME_LIMIT } from "./support/no-time-limit.ts"
import { withConfig } from "./support/run-mapper.ts"

const dir = mkdtempSync(join(tmpdir(), "join-bound-"))
let files = 0

const load = async (text: string): Promise<LoadedSpec> => {
  const file = join(dir, `spec-${files++}.yaml`)
  writeFileSync(file, text)
  return Effect.runPromise(loadSpec({ files: [file], variables: {}, overrides: [] }))
}

/**
 * The default generator, but the tables it made last are `shared.tables`, and with `reuse` those
 * are the answer: `_bound_join` is read by the join only (the pmapping cache leaves it out of its
 * key too), so the search without the bound may join the tables made for the one with it.
 */
const sharingGenerator = (shared: { tables?: ReadonlyArray<PmappingTable> }, reuse: boolean) =>
  Layer.effect(
    PmappingGenerator,
    Effect.map(PmappingGenerator, (base) =>
      PmappingGenerator.of({
        ...base,
        generate: (loaded, setup, options) =>
          reuse && shared.tables !== undefined
            ? Effect.succeed([...shared.tables])
            : base.generate(loaded, setup, options).pipe(Effect.tap((tables) => Effect.sync(() => void (shared.tables = tables))))
      }))
  ).pipe(Layer.provide(PmappingGenerator.layerWithoutDependencies))

/** The picked mapping, its objectives and the rows the join kept, or the failure's tag. */
const outcome = async (loaded: LoadedSpec, metric: Metric, tieBreak: "objectives" | "first", bound: boolean, shared: { tables?: ReadonlyArray<PmappingTable> }) => {
  const config = { ...loaded.spec.mapper, metrics: metricFlags[metric], _tie_break: tieBreak, _bound_join: bound }
  const exit = await Effect.runPromiseExit(
    Effect.gen(function*() {
      return yield* (yield* Mapper).map(withConfig(loaded, config), { jobs: 1 })
    }).pipe(Effect.provide(searchLayer({ pmappingGenerator: sharingGenerator(shared, !bound) })))
  )
  if (Exit.isFailure(exit)) return { failed: String(exit.cause.reasons.map((r) => (r._tag === "Fail" ? (r.error as { _tag: string })._tag : r._tag))) }
  const r = exit.value
  return {
    mapping: JSON.stringify(r.source),
    objectives: r.objectives,
    rowsKept: r.joinSteps.reduce((s, step) => s + step.rowsKept, 0)
  }
}

describe("the join's branch and bound", () => {
  it("bounds only a pick of one scalar, with the tie-break on the objectives", () => {
    const { ENERGY, LATENCY, ENERGY_DELAY_PRODUCT: EDP, RESOURCE_USAGE } = METRIC_FLAGS
    const picked = (askedMetrics: number, tieBreak: "objectives" | "first" = "objectives", bound = true) =>
      pickedScalar({ askedMetrics, config: { _bound_join: bound, _tie_break: tieBreak } } as unknown as SearchSetup)
    expect([picked(ENERGY), picked(LATENCY), picked(EDP)]).toEqual(["energy", "latency", "edp"])
    // A front of several points, memory use as an objective, AccelForge's first-wins ties, the ablation: no bound.
    expect([picked(ENERGY | LATENCY), picked(EDP | ENERGY), picked(ENERGY | RESOURCE_USAGE), picked(ENERGY, "first"), picked(EDP, "objectives", false)])
      .toEqual([undefined, undefined, undefined, undefined, undefined])
  })

  it("picks the mapping the unbounded join picks, with the same objectives (energy, latency, EDP; modes none, writeback, pipeline)", async () => {
    let cases = 0
    let bounded = 0
    await fc.assert(
      fc.asyncProperty(caseArbitrary, fc.constant("objectives" as const), fc.constantFrom(undefined, "writeback" as const, "pipeline" as const), async (plain, tieBreak, overlap) => {
        const c = overlap === undefined ? plain : { ...plain, overlap }
        const loaded = await load(specText(c))
        cases++
        for (const metric of ["energy", "latency", "edp"] as const) {
          const shared = {}
          const withBound = await outcome(loaded, metric, tieBreak, true, shared)
          const without = await outcome(loaded, metric, tieBreak, false, shared)
          const label = `${metric}, tie-break ${tieBreak}\n${specText(c)}`
          expect(withBound.failed, label).toEqual(without.failed)
          expect(withBound.objectives, label).toEqual(without.objectives)
          expect(withBound.mapping, label).toEqual(without.mapping)
          if ((withBound.rowsKept ?? 0) < (without.rowsKept ?? 0)) bounded++
        }
      }),
      { numRuns: 18, seed: 25 }
    )
    console.info(`join bound: ${cases} cases, the bound dropped rows in ${bounded} (case, metric) runs`)
    expect(bounded).toBeGreaterThan(0)
  }, NO_TIME_LIMIT)
})
