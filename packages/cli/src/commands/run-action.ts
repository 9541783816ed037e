/**
 * What `effect-accelforge run <files...>` does (loaded when it runs; its flags are in
 * run.ts): search for the best mapping of the workload on the arch and print its energy,
 * latency and breakdown (as the model evaluates it), the search counters and the mapping
 * itself (one fused LoopTree). `--json FILE` also writes the record
 * and search stats, `--svg FILE` a drawing of the LoopTree.
 */
import { availableParallelism } from "node:os"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { EvaluationError, metricNames, parseMetrics } from "@effect-accelforge/core"
import { attempt, checkKnobs, Mapper, type SearchStoppedError, strategyNamed } from "@effect-accelforge/mapper"
import { mapperLayer } from "@effect-accelforge/sweep/cache"
import { cacheDirectory, checkCacheFlags, reportCacheUse } from "../cache-flags.ts"
import { renderLoopTree } from "@effect-accelforge/report"
import { withOverlap } from "../options.ts"
import { checkOutputFiles } from "../output-paths.ts"
import { progressLine, progressMode } from "../progress.ts"
import { reportSearchErrors, reportUserError } from "../report-error.ts"
import { endBySignal, type StopRequest, withStopSignals } from "../stop-signals.ts"
import { EXIT_INCOMPLETE, reportFfmResult } from "./ffm-output.ts"
import { type ReportFlags, writeMappingReport } from "../report-output.ts"
import { loadFromFlags, writeJson } from "../spec-input.ts"
import { writeSvg } from "../svg-output.ts"
import { runWithStrategy } from "./search-run.ts"
import type { SpecFlags } from "./spec-flags.ts"

const metricOverride = (text: string): Effect.Effect<string, EvaluationError> => {
  const flags = parseMetrics(text.replaceAll(",", "|"))
  if (flags === undefined || flags === 0) {
    return Effect.fail(new EvaluationError({ path: ["--metric"], reason: `unknown metric '${text}': use energy, latency, edp, dynamic_energy, leak_energy or resource_usage, joined by '|' or ','` }))
  }
  return Effect.succeed(`mapper.metrics=${flags}`)
}

/** After the best-so-far is out: end by the signal received, else mark a run a limit cut short (exit 3). */
const endIfStopped = (stop: StopRequest, complete: boolean): void => {
  const signal = stop.received()
  if (signal !== undefined) endBySignal(signal)
  if (!complete) process.exitCode = EXIT_INCOMPLETE
}

/** A stop before any complete mapping existed: one line, then end by the signal. */
const stoppedWithoutMapping = (e: SearchStoppedError, stop: StopRequest) =>
  reportUserError(e).pipe(Effect.andThen(Effect.sync(() => endBySignal(stop.received() ?? "SIGINT"))))

export interface RunFlags extends SpecFlags, ReportFlags {
  readonly svg: Option.Option<string>
  readonly metric: Option.Option<string>
  readonly overlap: Option.Option<string>
  readonly jobs: Option.Option<number>
  readonly quiet: boolean
  readonly progress: boolean
  readonly cache: Option.Option<string>
  readonly noCache: boolean
  readonly search: Option.Option<string>
}

export const action = ({ cache, define, files, html, jobs, json, limit, metric, noCache, overlap, plots, progress: plainProgress, quiet, search, set, svg }: RunFlags) =>
  Effect.gen(function*() {
    yield* checkCacheFlags({ cache, noCache })
    yield* checkOutputFiles({ "--json": json, "--svg": svg, "--html": html })
    const threads = Option.getOrElse(jobs, () => availableParallelism())
    if (!Number.isInteger(threads) || threads < 1) {
      return yield* Effect.fail(new EvaluationError({ path: ["--jobs"], reason: `--jobs must be a positive integer, got ${threads}` }))
    }
    const overrides = withOverlap(Option.isSome(metric) ? [...set, yield* metricOverride(metric.value)] : set, overlap)
    // Loaded once: the Mapper and every strategy search this very spec (worker threads get it sent).
    const loaded = yield* loadFromFlags(files, define, overrides, limit)
    const strategy = Option.getOrElse(search, () => loaded.spec.mapper.search.algorithm)
    yield* attempt(() => checkKnobs(loaded.spec.mapper.search, [strategyNamed(strategy)]))
    if (strategy !== "ffm") {
      const metricName = metricNames(loaded.spec.mapper.metrics).join("|").toLowerCase()
      // Stopped as FFM is: the best so far printed and written, then the signal's or the limit's exit code.
      return yield* withStopSignals((stop) =>
        Effect.gen(function*() {
          const out = yield* runWithStrategy(strategy, loaded, { jobs: threads, progress: progressMode(quiet, plainProgress), metric: metricName, stop })
          yield* Console.log(out.text)
          if (Option.isSome(json)) yield* writeJson(json.value, { ...out.json, warnings: loaded.warnings })
          if (Option.isSome(svg)) yield* writeSvg(svg.value, out.run.result.source.mapping, out.bounds, out.run.result.evaluation.overlap)
          yield* writeMappingReport({ html, plots }, () => ({
            title: `${out.run.result.incomplete === undefined ? "Best" : "Best so far (search stopped early):"} mapping for ${metricName} found by ${strategy}`,
            subtitle: [files.join(" "), `found in ${out.run.seconds.toFixed(2)} s on ${threads} thread(s)`],
            loaded,
            result: out.run.result.evaluation,
            mapping: out.run.result.source.mapping,
            front: [{ energy: out.run.result.evaluation.energy, latency: out.run.result.evaluation.latency, chosen: true }]
          }))
          endIfStopped(stop, out.run.result.incomplete === undefined)
        }).pipe(Effect.catchTag("SearchStoppedError", (e) => stoppedWithoutMapping(e, stop)))
      )
    }
    const progress = progressLine(progressMode(quiet, plainProgress), loaded.workload.einsums.length)
    const mapper = yield* Mapper
    yield* withStopSignals((stop) =>
      Effect.gen(function*() {
        progress.start(threads)
        // This thread runs only short pieces of the search (the probe, small queued jobs), and a
        // large join goes to a worker thread, so that a signal is taken promptly.
        const result = yield* mapper.map(loaded, {
          jobs: threads, inWorkers: true, stop: stop.signal, onBestSoFar: stop.arm, onProgress: progress.update, onJoinProgress: progress.join
        }).pipe(
          Effect.ensuring(Effect.sync(progress.finish))
        )
        yield* reportCacheUse
        yield* reportFfmResult(result, { files, threads, json, svg, html, plots })
        endIfStopped(stop, result.complete)
      }).pipe(Effect.catchTag("SearchStoppedError", (e) => stoppedWithoutMapping(e, stop)))
    )
  }).pipe(
    reportSearchErrors,
    // `--cache DIR` swaps in the PmappingGenerator that reads and fills the pmapping cache (the
    // tables of FFM, and those sa and ga choose from).
    Effect.provide(mapperLayer(cacheDirectory({ cache, noCache })))
  )
