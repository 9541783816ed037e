/**
 * `effect-accelforge compare <files...> --search ffm,hybrid,sa,ga [--budget N | Ns]`: run each
 * strategy on the same spec and mapspace and report, per strategy, its best score, how far it is
 * from FFM's optimum, and the evaluations and seconds it took to reach its best and to come
 * within 1% and 5% of FFM's optimum. FFM runs first (its optimum is the reference, its tables
 * are what sa and ga choose from). `--budget` caps every other strategy's evaluations (a number)
 * or seconds (a number with `s`). For a workload of several Einsums the per-Einsum strategies
 * search without fusion, so their gap is also given against FFM's optimum without fusion.
 */
import { writeFileSync } from "node:fs"
import { Console, Effect, Layer, Option, Result } from "effect"
import { Command, Flag } from "effect/cli"
import { EvaluationError, type MapperConfig, metricNames, parseDefines } from "@effect-accelforge/core"
import {
  attempt, checkKnobs, Mapper, PmappingGenerator, restrictedOptimum, runStrategy, searchSetup, strategyNamed, type StrategyRun, unfusedGroup
} from "@effect-accelforge/mapper"
import { type ComparisonRow, comparisonRow, failedRow, renderComparison, unprunedNotes } from "../format/comparison.ts"
import { renderConvergenceSvg } from "../format/convergence-svg.ts"
import { defines, jsonOut, sets, specFiles } from "../options.ts"
import { progressLine } from "../progress.ts"
import { reportUserError } from "../report-error.ts"
import { searchStatusLine } from "../search-progress.ts"
import { loadFromFlags, writeJson } from "../spec-input.ts"

const strategies = Flag.String("search").pipe(
  Flag.withDescription("Strategies to compare, comma-separated (FFM always runs first, as the reference)"),
  Flag.withDefault("ffm,hybrid,sa,ga")
)

const budget = Flag.String("budget").pipe(
  Flag.withDescription("Cap on every strategy but FFM: evaluations (e.g. 1e6) or seconds (e.g. 30s)"),
  Flag.optional
)

const jobs = Flag.Int("jobs").pipe(Flag.withDescription("Worker threads for each strategy (default 1, so seconds compare like for like)"), Flag.withDefault(1))
const svg = Flag.String("svg").pipe(Flag.withDescription("Also draw the convergence curves (score vs evaluations, log scales) to this SVG file"), Flag.optional)
const quiet = Flag.Boolean("quiet").pipe(Flag.withDescription("No progress line on stderr"), Flag.withDefault(false))

const budgeted = (config: MapperConfig, text: string): Effect.Effect<MapperConfig, EvaluationError> => {
  const m = /^\s*([0-9.]+(?:e[0-9]+)?)\s*(s?)\s*$/i.exec(text)
  const value = m === null ? NaN : Number(m[1])
  if (!(value > 0)) return Effect.fail(new EvaluationError({ path: ["--budget"], reason: `expected a positive number of evaluations (1e6) or seconds (30s), got '${text}'` }))
  const search = m![2] === "" ? { ...config.search, max_evaluations: value } : { ...config.search, time_limit: value }
  return Effect.succeed({ ...config, search })
}

const curves = (rows: ReadonlyArray<ComparisonRow>) => rows.flatMap((r) => r.history.map((p) => ({ strategy: r.strategy, ...p })))

export const compareCommand = Command.make(
  "compare",
  { files: specFiles, define: defines, set: sets, json: jsonOut, svg, jobs, quiet, search: strategies, budget },
  ({ files, define, set, json, svg, jobs, quiet, search, budget }) =>
    Effect.gen(function*() {
      if (!Number.isInteger(jobs) || jobs < 1) return yield* Effect.fail(new EvaluationError({ path: ["--jobs"], reason: `--jobs must be a positive integer, got ${jobs}` }))
      const loaded = yield* loadFromFlags(files, define, set)
      const variables = parseDefines(define)
      if (Result.isFailure(variables)) return yield* Effect.fail(variables.failure)
      const names = ["ffm", ...search.split(",").map((s) => s.trim()).filter((s) => s !== "" && s !== "ffm")]
      const entries = yield* attempt(() => names.map(strategyNamed))
      yield* attempt(() => checkKnobs(loaded.spec.mapper.search, entries))
      const config = Option.isSome(budget) ? yield* budgeted(loaded.spec.mapper, budget.value) : loaded.spec.mapper
      const request = { files, variables: variables.success, overrides: set }
      const tty = !quiet && process.stderr.isTTY === true
      const run = (name: string, options: { readonly tables?: StrategyRun["result"]["tables"] }) => {
        const templates = progressLine(tty, loaded.workload.einsums.length)
        const threads = searchStatusLine(tty, name)
        return runStrategy(name, request, loaded, { jobs, config, checkKnobs: false, onTemplates: templates.update, onThreads: threads.update, ...options }).pipe(
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
      const unfused = setup.contexts.length > 1 ? yield* attempt(() => restrictedOptimum(setup, ffm.result.tables, unfusedGroup(setup.outermost))) : ffm.score
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
        yield* Effect.try({
          try: () => writeFileSync(svg.value, renderConvergenceSvg(rows, ffm.score, `Convergence for ${metric}`)),
          catch: (e) => new EvaluationError({ path: ["--svg"], reason: `cannot write ${svg.value}: ${e instanceof Error ? e.message : String(e)}` })
        })
      }
    }).pipe(Effect.catchTags({ InvalidMappingError: reportUserError, NoValidMappingError: reportUserError, SearchLimitError: reportUserError }))
).pipe(
  Command.provide(Layer.mergeAll(Mapper.layer, PmappingGenerator.layer)),
  Command.withDescription(
    "Run several search strategies on the same spec and mapspace; per strategy: best score, gap to FFM's optimum, evaluations and seconds to reach it and to come within 1% and 5% of FFM's optimum"
  ),
  Command.withExamples([
    {
      command: "effect-accelforge compare examples/arches/two_level.yaml examples/workloads/matmul_chain.yaml -D LAYERS=2 --search ffm,hybrid,sa,ga --budget 1e6",
      description: "FFM against Timeloop's hybrid, simulated annealing and a genetic algorithm, each capped at a million evaluations"
    }
  ])
)
