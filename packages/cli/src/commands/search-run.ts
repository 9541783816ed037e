/**
 * `run --search NAME` with a strategy other than FFM: run it (Timeloop's per Einsum with a live
 * status line, or sa / ga over the tables with FFM's progress line while the tables are made),
 * then print the model's evaluation of its mapping and what the search did. Its searches run on
 * worker threads even with one job (sa and ga in slices on this thread), so a signal is taken
 * at once: once a complete mapping exists (`stop.arm`), a stop answers with the best so far.
 */
import * as Effect from "effect/Effect"
import type { LoadedSpec } from "@effect-accelforge/core"
import { runStrategy } from "@effect-accelforge/mapper"
import { renderLoopTree } from "@effect-accelforge/report"
import { renderSearchReport, searchJson } from "../format/search-report.ts"
import { progressLine, type ProgressMode } from "../progress.ts"
import { searchStatusLine } from "../search-progress.ts"
import type { StopRequest } from "../stop-signals.ts"

export interface SearchRunOptions {
  readonly jobs: number
  readonly progress: ProgressMode
  readonly metric: string
  readonly stop: StopRequest
}

export const runWithStrategy = (name: string, loaded: LoadedSpec, options: SearchRunOptions) =>
  Effect.gen(function*() {
    const templates = progressLine(options.progress, loaded.workload.einsums.length)
    const threads = searchStatusLine(options.progress, name)
    const run = yield* runStrategy(name, loaded, {
      jobs: options.jobs,
      onTemplates: templates.update,
      onThreads: threads.update,
      log: (line) => process.stderr.write(`${line}\n`),
      stop: options.stop.signal,
      onBestSoFar: options.stop.arm,
      inWorkers: true
    }).pipe(Effect.ensuring(Effect.sync(() => {
      templates.finish()
      threads.finish()
    })))
    const bounds = (einsum: string) => loaded.workload.einsumsByName.get(einsum)?.bounds ?? new Map<string, number>()
    return {
      run,
      bounds,
      text: renderSearchReport(run, options.metric, options.jobs, renderLoopTree(run.result.source.mapping, bounds)),
      json: searchJson(run, options.metric, options.jobs)
    }
  })
