/**
 * What `effect-accelforge compare` does (loaded when it runs; its flags are in compare.ts): run
 * FFM, then each other strategy on the same spec and mapspace (sa and ga on FFM's tables), and
 * report per strategy its best score, its gap to FFM's optimum (and, for per-Einsum strategies,
 * to FFM's optimum without fusion) and the evaluations and seconds it took to reach its best
 * and to come within 1% and 5% of FFM's optimum; `--json` has the rows and the curves as
 * records, `--svg` draws the curves (a Vega-Lite chart of packages/report).
 */
import { writeFileSync } from "node:fs"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { EvaluationError, type MapperConfig, metricNames } from "@effect-accelforge/core"
import {
  attempt, checkKnobs, outermostMemory, restrictedOptimum, runStrategy, searchLayer, searchSetup, strategyNamed, type StrategyRun, unfusedGroup
} from "@effect-accelforge/mapper"
import { convergenceChart, renderChartSvg } from "@effect-accelforge/report"
import { type ComparisonRow, comparisonRow, failedRow, renderComparison, unprunedNotes } from "../format/comparison.ts"
import { progressLine } from "../progress.ts"
import { reportSearchErrors } from "../report-error.ts"
import { searchStatusLine } from "../search-progress.ts"
import { loadFromFlags, writeJson } from "../spec-input.ts"
import type { SpecFlags } from "./spec-flags.ts"

export interface CompareFlags extends SpecFlags {
  readonly svg: Option.Option<string>
  readonly jobs: number
  readonly quiet: boolean
  readonly search: string
  readonly budget: Option.Option<string>
}

const budgeted = (config: MapperConfig, text: string): Effect.Effect<MapperConfig, EvaluationError> => {
  const m = /^\s*([0-9.]+(?:e[0-9]+)?)\s*(s?)\s*$/i.exec(text)
  const value = m === null ? NaN : Number(m[1])
  if (!(value > 0)) return Effect.fail(new EvaluationError({ path: ["--budget"], reason: `expected a positive number of evaluations (1e6) or seconds (30s), got '${text}'` }))
  const search = m![2] === "" ? { ...config.search, max_evaluations: value } : { ...config.search, time_limit: value }
  return Effect.succeed({ ...config, search })
}

const curves = (rows: ReadonlyArray<ComparisonRow>) => rows.flatMap((r) => r.history.map((p) => ({ strategy: r.strategy, ...p })))

export const action = ({ budget, define, files, jobs, json, limit, quiet, search, set, svg }: CompareFlags) =>
  Effect.gen(function*() {
    if (!Number.isInteger(jobs) || jobs < 1) return yield* Effect.fail(new EvaluationError({ path: ["--jobs"], reason: `--jobs must be a positive integer, got ${jobs}` }))
    const loaded = yield* loadFromFlags(files, define, set, limit)
    const names = ["ffm", ...search.split(",").map((s) => s.trim()).filter((s) => s !== "" && s !== "ffm")]
    const entries = yield* attempt(() => names.map(strategyNamed))
    yield* attempt(() => checkKnobs(loaded.spec.mapper.search, entries))
    const config = Option.isSome(budget) ? yield* budgeted(loaded.spec.mapper, budget.value) : loaded.spec.mapper
    const tty = !quiet && process.stderr.isTTY === true
    const run = (name: string, options: { readonly tables?: StrategyRun["result"]["tables"] }) => {
      const templates = progressLine(tty, loaded.workload.einsums.length)
      const threads = searchStatusLine(tty, name)
      return runStrategy(name, loaded, { jobs, config, checkKnobs: false, onTemplates: templates.update, onThreads: threads.update, ...options }).pipe(
        Effect.ensuring(Effect.sync(() => {
          templates.finish()
          threads.finish()
        }))
      )
    }
    const ffm = yield* run("ffm", {})
    // A strategy that finds no valid mapping is a result of the comparison, not its end.
    const others = yield* Effect.forEach(names.slice(1), (name) =>
      run(name, { tables: ffm.result.tables }).pipe(
        Effect.map((r): StrategyRun | ComparisonRow => r),
        Effect.catchTag("NoValidMappingError", (e) => Effect.succeed(failedRow(name, e.message.replace(/^NoValidMappingError:? ?/, ""))))
      ))
    const setup = yield* attempt(() => searchSetup(loaded, config))
    // With one Einsum there is nothing to fuse: per-Einsum strategies search FFM's whole mapspace.
    const unfused = setup.contexts.length > 1 ? yield* attempt(() => restrictedOptimum(setup, ffm.result.tables, unfusedGroup(outermostMemory(setup)))) : undefined
    const rows = [ffm, ...others].map((r) => ("result" in r ? comparisonRow(r, ffm.score, unfused) : r))
    const metric = metricNames(loaded.spec.mapper.metrics).join("|").toLowerCase()
    yield* Console.log([
      `Comparison for ${metric} on ${files.join(", ")}${Option.isSome(budget) ? ` (budget ${budget.value})` : ""}, ${jobs} thread(s)`,
      `FFM's optimum: ${ffm.score}${
        setup.contexts.length > 1 ? `; without fusion (where per-Einsum strategies search): ${unfused === ffm.score ? "the same" : unfused ?? "no valid mapping"}` : ""
      }`,
      "",
      renderComparison(rows),
      "",
      "Evaluations: FFM's tile rows looked at; per-Einsum strategies' mappings evaluated; sa and ga's pmapping draws, each charged FFM's tile rows per",
      "Pareto-optimal pmapping of its Einsum (seed 001; FFM's pruning is shared across compatibilities, so this flatters them). sa and ga's seconds",
      "leave out making the tables they choose from (FFM's per-Einsum search).",
      ...unprunedNotes(rows)
    ].join("\n"))
    if (Option.isSome(json)) {
      yield* writeJson(json.value, {
        metric,
        budget: Option.getOrNull(budget),
        jobs,
        ffm: { score: ffm.score, unfusedScore: unfused ?? null },
        strategies: rows.map(({ history: _, ...r }) => r),
        curves: curves(rows)
      })
    }
    if (Option.isSome(svg)) {
      const drawn = yield* renderChartSvg(convergenceChart(rows.map((r) => ({ strategy: r.strategy, evaluations: r.evaluations, history: curves([r]) })), ffm.score, metric))
      yield* Effect.try({
        try: () => writeFileSync(svg.value, drawn),
        catch: (e) => new EvaluationError({ path: ["--svg"], reason: `cannot write ${svg.value}: ${e instanceof Error ? e.message : String(e)}` })
      })
    }
  }).pipe(
    reportSearchErrors,
    Effect.provide(searchLayer())
  )
