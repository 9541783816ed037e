/**
 * Running registered strategies in tests through the same Effect program the CLI uses, and
 * reading back which pmapping each Einsum got.
 */
import { Effect, Layer } from "effect"
import type { LoadedSpec } from "@effect-accelforge/core"
import { describeTemplate, generateOptionsOf, generatePmappings, ParetoPruner, type SearchSetup, searchLayer } from "../../src/index.ts"
import { runStrategy, type StrategyRun } from "../../src/search/run-strategy.ts"
import { einsumBest, threadsOf } from "../../src/search/timeloop/timeloop-search.ts"
import { searchTemplates } from "../../src/search/timeloop/einsum-units.ts"

/** The Mapper, the PmappingGenerator and the Evaluator from the one composition root. */
const layer = searchLayer()

export const runNamed = (name: Parameters<typeof runStrategy>[0], loaded: LoadedSpec, jobs = 1): Promise<StrategyRun> =>
  Effect.runPromise(runStrategy(name, loaded, { jobs }).pipe(Effect.provide(layer)))

/** A pmapping as text: its template's nodes and its tiles. */
export const pmappingKey = (template: Parameters<typeof describeTemplate>[0], tiles: ArrayLike<number>, offset = 0): string =>
  `${describeTemplate(template)} | ${Array.from({ length: template.loopPositions.length }, (_, k) => tiles[offset + k]).join(",")}`

/** Per Einsum, the pmapping the strategy chose. */
export const chosenPmappings = (run: StrategyRun, setup: SearchSetup): Array<string> => {
  if (run.kind === "einsum") {
    return setup.contexts.map((_, e) => {
      const best = einsumBest(threadsOf(run.timeloop.units, e))!
      return pmappingKey(searchTemplates(setup, e)[best.template]!, best.tiles)
    })
  }
  if (run.kind === "workload") {
    return run.result.tables.map((t) => {
      const g = t.groups[0]!
      return pmappingKey(t.templates[g.template[0]!]!, g.tiles, g.tileOffset[0]!)
    })
  }
  throw new Error("FFM's choices are read from its own tables")
}

const keepAll = Effect.runSync(Effect.gen(function*() {
  return (yield* ParetoPruner).front
}).pipe(Effect.provide(ParetoPruner.keepAll)))

/** Per Einsum, every pmapping FFM's enumeration keeps as valid (no Pareto or cost pruning). */
export const validPmappings = (loaded: LoadedSpec, setup: SearchSetup): Array<Set<string>> =>
  setup.contexts.map((ctx) => {
    const table = generatePmappings(ctx, { ...generateOptionsOf(loaded, setup, ctx), prune: keepAll, partialPruning: false, polynomialScoring: false })
    const out = new Set<string>()
    for (const g of table.groups) for (let r = 0; r < g.rows; r++) out.add(pmappingKey(table.templates[g.template[r]!]!, g.tiles, g.tileOffset[r]!))
    return out
  })
