/**
 * `effect-accelforge run <files...>`: search for the best mapping of the workload on the arch
 * and print its energy, latency and breakdown (as the model evaluates it), the search
 * counters and the mapping itself (one fused LoopTree). `--json FILE` also writes the record
 * and search stats, `--svg FILE` a drawing of the LoopTree, `--html FILE` / `--plots DIR` the
 * report and its charts.
 */
import { writeFileSync } from "node:fs"
import { availableParallelism } from "node:os"
import { Console, Effect, Option, Result } from "effect"
import { Command, Flag } from "effect/cli"
import { EvaluationError, type Mapping, metricNames, parseDefines, parseMetrics } from "@effect-accelforge/core"
import { Mapper } from "@effect-accelforge/mapper"
import { type Bounds, renderLoopTree, renderLoopTreeSvg } from "@effect-accelforge/report"
import { evaluationJson } from "../format/evaluate-report.ts"
import { renderRunReport } from "../format/run-report.ts"
import { defines, jsonOut, sets, specFiles } from "../options.ts"
import { progressLine } from "../progress.ts"
import { reportUserError } from "../report-error.ts"
import { cacheDirectory, cacheFlag, checkCacheFlags, noCacheFlag, reportCacheUse } from "../cache-flags.ts"
import { mapperLayer } from "@effect-accelforge/sweep"
import { htmlOut, plotsOut, writeMappingReport } from "../report-output.ts"
import { loadFromFlags, writeJson } from "../spec-input.ts"

const metric = Flag.String("metric").pipe(
  Flag.withDescription("What to minimize: energy, latency, edp, or several joined by '|' or ',' (a Pareto set); default: the spec's mapper.metrics"),
  Flag.optional
)

const jobs = Flag.Int("jobs").pipe(
  Flag.withDescription("Worker threads for the per-Einsum search (default: one per core)"),
  Flag.optional
)

/** `--svg FILE`, shared with `evaluate`: the mapping drawn as a LoopTree. */
export const svgOut = Flag.String("svg").pipe(
  Flag.withDescription("Also draw the mapping as a LoopTree (SVG, top-down, one box per node) to this file"),
  Flag.optional
)

/** Writes the mapping's SVG as `--json` writes its record: a failure is one EvaluationError (one `error:` line). */
export const writeSvg = (file: string, mapping: Mapping, bounds: Bounds) =>
  Effect.try({
    try: () => writeFileSync(file, renderLoopTreeSvg(mapping, bounds)),
    catch: (e) => new EvaluationError({ path: ["--svg"], reason: `cannot write ${file}: ${e instanceof Error ? e.message : String(e)}` })
  })

const quiet = Flag.Boolean("quiet").pipe(Flag.withDescription("No progress line on stderr"), Flag.withDefault(false))

const metricOverride = (text: string): Effect.Effect<string, EvaluationError> => {
  const flags = parseMetrics(text.replaceAll(",", "|"))
  if (flags === undefined || flags === 0) {
    return Effect.fail(new EvaluationError({ path: ["--metric"], reason: `unknown metric '${text}': use energy, latency, edp, dynamic_energy, leak_energy or resource_usage, joined by '|' or ','` }))
  }
  return Effect.succeed(`mapper.metrics=${flags}`)
}

export const runCommand = Command.make(
  "run",
  { files: specFiles, define: defines, set: sets, json: jsonOut, svg: svgOut, html: htmlOut, plots: plotsOut, metric, jobs, quiet, cache: cacheFlag, noCache: noCacheFlag },
  ({ files, define, set, json, svg, html, plots, metric, jobs, quiet, cache, noCache }) =>
    Effect.gen(function*() {
      yield* checkCacheFlags({ cache, noCache })
      const threads = Option.getOrElse(jobs, () => availableParallelism())
      if (!Number.isInteger(threads) || threads < 1) {
        return yield* Effect.fail(new EvaluationError({ path: ["--jobs"], reason: `--jobs must be a positive integer, got ${threads}` }))
      }
      const overrides = Option.isSome(metric) ? [...set, yield* metricOverride(metric.value)] : [...set]
      const loaded = yield* loadFromFlags(files, define, overrides)
      const variables = parseDefines(define)
      if (Result.isFailure(variables)) return yield* Effect.fail(variables.failure)
      const progress = progressLine(!quiet && process.stderr.isTTY === true, loaded.workload.einsums.length)
      const mapper = yield* Mapper
      const result = yield* mapper.map({ files, variables: variables.success, overrides }, { jobs: threads, onProgress: progress.update }).pipe(
        Effect.ensuring(Effect.sync(progress.finish))
      )
      yield* reportCacheUse
      const metricText = metricNames(loaded.spec.mapper.metrics).join("|").toLowerCase()
      const bounds = (einsum: string) => loaded.workload.einsumsByName.get(einsum)?.bounds ?? new Map<string, number>()
      yield* Console.log(renderRunReport(result, metricText, threads, renderLoopTree(result.source.mapping, bounds)))
      const stats = {
        metric: metricText,
        objectives: result.objectives,
        paretoFrontSize: result.frontSize,
        jobs: threads,
        wallTimeMs: result.wallTimeMs,
        einsums: result.counters,
        join: result.joinSteps
      }
      if (Option.isSome(json)) yield* writeJson(json.value, { mappings: [evaluationJson(result.evaluation, result.source.mapping)], stats })
      if (Option.isSome(svg)) yield* writeSvg(svg.value, result.source.mapping, bounds)
      yield* writeMappingReport({ html, plots }, () => ({
        title: `Best fused mapping for ${metricText}`,
        subtitle: [files.join(" "), `found in ${(result.wallTimeMs / 1000).toFixed(2)} s on ${threads} thread(s); ${result.frontSize} mapping(s) on the Pareto front`],
        loaded,
        result: result.evaluation,
        mapping: result.source.mapping,
        search: stats,
        // The front chart needs every front point; the search reports the chosen one today.
        front: [{ energy: result.evaluation.energy, latency: result.evaluation.latency, chosen: true }]
      }))
    }).pipe(Effect.catchTags({ InvalidMappingError: reportUserError, NoValidMappingError: reportUserError, SearchLimitError: reportUserError, ReportError: reportUserError }))
).pipe(
  // `--cache DIR` swaps in the PmappingGenerator that reads and fills the pmapping cache.
  Command.provide((input) => mapperLayer(cacheDirectory(input))),
  Command.withDescription(
    "Search for the best mapping (energy, latency or EDP) and print it with its breakdown; --json FILE also writes the record and search stats, --svg FILE draws the mapping's LoopTree"
  ),
  Command.withExamples([
    {
      command: "effect-accelforge run examples/arches/two_level.yaml examples/workloads/matmul_chain.yaml -D LAYERS=2",
      description: "Best-energy mapping of a two-layer matmul chain on the two-level arch"
    },
    {
      command: "effect-accelforge run examples/arches/two_level.yaml examples/workloads/transformer_block.yaml --metric edp --json out.json",
      description: "Minimize the energy-delay product of a transformer block; write the record and search stats"
    },
    {
      command: "effect-accelforge run examples/arches/two_level.yaml examples/workloads/matmul_chain.yaml -D LAYERS=2 --svg mapping.svg",
      description: "Also draw the chosen (fused) mapping as an SVG LoopTree"
    }
  ])
)
