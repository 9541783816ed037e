/**
 * What `run` prints and writes for FFM's result: the report (with the whole front as a table
 * when several objectives were asked for, and a note when the search stopped early), `--json`
 * with every front point in `mappings` (the chosen one first) and `"complete"`, `--svg` of the
 * chosen mapping, and `--html`/`--plots` with the front chart.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { metricNames } from "@effect-accelforge/core"
import type { MapResult } from "@effect-accelforge/mapper"
import { renderLoopTree } from "@effect-accelforge/report"
import { mappingJson } from "../format/evaluate-report.ts"
import { renderRunReport, threadsText } from "../format/run-report.ts"
import { writeMappingReport } from "../report-output.ts"
import { writeJson } from "../spec-input.ts"
import { writeSvg } from "../svg-output.ts"

/** Exit code of a run that a time or memory limit ended early, with the best mapping found so far. */
export const EXIT_INCOMPLETE = 3

export interface FfmOutputs {
  readonly files: ReadonlyArray<string>
  readonly threads: number
  readonly json: Option.Option<string>
  readonly svg: Option.Option<string>
  readonly html: Option.Option<string>
  readonly plots: Option.Option<string>
}

export const reportFfmResult = (result: MapResult, out: FfmOutputs) =>
  Effect.gen(function*() {
    const { loaded } = result
    const metricText = metricNames(loaded.spec.mapper.metrics).join("|").toLowerCase()
    const bounds = (einsum: string) => loaded.workload.einsumsByName.get(einsum)?.bounds ?? new Map<string, number>()
    yield* Console.log(renderRunReport(result, metricText, out.threads, renderLoopTree(result.source.mapping, bounds)))
    const stats = {
      metric: metricText,
      objectives: result.objectives,
      paretoFrontSize: result.frontSize,
      jobs: out.threads,
      searchThreads: result.searchThreads,
      wallTimeMs: result.wallTimeMs,
      einsums: result.counters,
      join: result.joinSteps,
      joinBefore: result.preliminaryJoins ?? []
    }
    if (Option.isSome(out.json)) {
      yield* writeJson(out.json.value, {
        complete: result.complete,
        ...(result.incomplete === undefined ? {} : { incomplete: result.incomplete }),
        mappings: result.points.map((p) => mappingJson(p.evaluation, p.source.mapping)),
        warnings: loaded.warnings,
        stats
      })
    }
    if (Option.isSome(out.svg)) yield* writeSvg(out.svg.value, result.source.mapping, bounds, result.evaluation.overlap)
    yield* writeMappingReport({ html: out.html, plots: out.plots }, () => ({
      title: `${result.complete ? "Best" : "Best so far (search stopped early)"}: fused mapping for ${metricText}`,
      subtitle: [out.files.join(" "), `found in ${(result.wallTimeMs / 1000).toFixed(2)} s on ${threadsText(result.searchThreads, out.threads)} thread(s); ${result.frontSize} mapping(s) on the Pareto front`],
      loaded,
      result: result.evaluation,
      mapping: result.source.mapping,
      search: stats,
      front: result.points.map((p, i) => ({ energy: p.evaluation.energy, latency: p.evaluation.latency, label: `mapping ${i + 1}`, chosen: i === 0 }))
    }))
  })
