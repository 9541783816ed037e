/**
 * The terminal rendering and the JSON record of `run --search NAME` for a strategy other than
 * FFM: the chosen mapping as the model evaluates it, then what the search did. For a
 * Timeloop-style strategy: per Einsum its mapspace, mappings tried and valid, the best, why its
 * threads stopped, and the diagnostics (invalid mappings by rule, with an example each when
 * `diagnostics` is on). For sa and ga: proposals, evaluations charged, why it stopped and the
 * history of its best score. A search stopped early (a signal, `mapper.time_limit` or
 * `memory_limit`) starts with what stopped it and what it did not explore, as FFM's does, and its
 * JSON says `"complete": false` with `incomplete`.
 */
import type { HistoryPoint, StrategyRun } from "@effect-accelforge/mapper"
import { mappingJson, renderEvaluateReport } from "./evaluate-report.ts"
import { formatCount, incompleteNote } from "./run-report.ts"
import { formatNumber, renderTable } from "./table.ts"

type TimeloopRun = Extract<StrategyRun, { readonly kind: "einsum" }>
type WorkloadRun = Extract<StrategyRun, { readonly kind: "workload" }>

/** Why each thread stopped, as "reason ×count". */
const stops = (threads: ReadonlyArray<{ readonly stop: string }>): string => {
  const counts = new Map<string, number>()
  for (const t of threads) counts.set(t.stop, (counts.get(t.stop) ?? 0) + 1)
  return [...counts].map(([reason, n]) => (threads.length === 1 ? reason : `${reason} x${n}`)).join(", ")
}

const timeloopSearch = (run: TimeloopRun): string => {
  const einsums = run.timeloop.einsums
  const rules = Object.keys(einsums[0]?.diagnostics ?? {})
  const lines = [
    `Search (${run.strategy}, ${einsums[0]?.threads.length ?? 0} thread(s) per Einsum; ${run.timeloop.metrics.join(", ")}):`,
    renderTable(
      [
        { header: "Einsum" }, { header: "mapspace", align: "right" }, { header: "mappings", align: "right" }, { header: "valid", align: "right" },
        ...run.timeloop.metrics.map((m) => ({ header: `best ${m}`, align: "right" as const })), { header: "stopped by" }, { header: "time (s)", align: "right" }
      ],
      einsums.map((e) => [
        e.einsum, formatCount(e.mapspaceSize), formatCount(e.mappings), formatCount(e.valid), ...run.timeloop.metrics.map((m) => e.best.costs[m]!), stops(e.threads),
        e.seconds.toFixed(3)
      ])
    ),
    "",
    "Diagnostics (invalid mappings by the first rule they break; every rule with diagnostics on):",
    renderTable(
      [{ header: "Einsum" }, ...rules.map((r) => ({ header: r, align: "right" as const }))],
      einsums.map((e) => [e.einsum, ...rules.map((r) => formatCount(e.diagnostics[r]!))])
    )
  ]
  const examples = einsums.flatMap((e) => e.examples.map((x) => `  ${e.einsum}, ${x.rule}: ${x.reason} (${x.template})`))
  if (examples.length > 0) lines.push("", "Examples:", ...examples)
  return lines.join("\n")
}

const historyTable = (history: ReadonlyArray<HistoryPoint>): string =>
  renderTable(
    [{ header: "evaluations", align: "right" }, { header: "seconds", align: "right" }, { header: "best score", align: "right" }],
    history.map((p) => [formatCount(Math.round(p.evaluations)), p.seconds.toFixed(3), p.score])
  )

const workloadSearch = (run: WorkloadRun): string => {
  const w = run.workload
  return [
    `Search (${run.strategy} over FFM's per-Einsum Pareto tables, ${formatCount(w.mapspaceSize)} combinations):`,
    `${w.proposals} fused mappings joined (${w.valid} valid), ${formatCount(Math.round(w.evaluations))} evaluations charged, stopped by ${w.stop} after ${w.seconds.toFixed(2)} s (the tables took ${run.tablesSeconds.toFixed(2)} s before)`,
    `Charge per pmapping drawn (tile rows FFM looked at per Pareto-optimal pmapping): ${w.charges.map((c) => `${c.einsum} ${formatNumber(c.charge)}`).join(", ")}`,
    `Charged the whole tile space per Pareto-optimal pmapping instead (a search that prunes nothing): ${formatCount(Math.round(w.unprunedEvaluations))} evaluations`,
    "",
    "Best score by evaluations:",
    historyTable(w.history)
  ].join("\n")
}

export const renderSearchReport = (run: StrategyRun, metric: string, jobs: number, mappingText: string): string =>
  [
    ...incompleteNote(run.result),
    `${run.result.incomplete === undefined ? "Best" : "Best so far:"} ${run.kind === "workload" ? "fused " : ""}mapping for ${metric} found by ${run.strategy} in ${run.seconds.toFixed(2)} s on ${jobs} thread(s)`,
    "",
    renderEvaluateReport(run.result.evaluation),
    "",
    run.kind === "einsum" ? timeloopSearch(run) : run.kind === "workload" ? workloadSearch(run) : "",
    "",
    "Mapping:",
    mappingText
  ].join("\n")

/** `--json`: the record, and the search's figures under `stats.search`. */
export const searchJson = (run: StrategyRun, metric: string, jobs: number) => ({
  complete: run.result.incomplete === undefined,
  ...(run.result.incomplete === undefined ? {} : { incomplete: run.result.incomplete }),
  mappings: [mappingJson(run.result.evaluation, run.result.source.mapping)],
  stats: {
    strategy: run.strategy,
    metric,
    jobs,
    score: run.score,
    evaluations: run.evaluations,
    seconds: run.seconds,
    history: run.history,
    search: run.kind === "einsum"
      ? {
        metrics: run.timeloop.metrics,
        einsums: run.timeloop.einsums,
        threads: run.timeloop.units.flatMap((u) => u.threads).map((t) => ({
          einsum: run.timeloop.einsums[t.einsum]!.einsum,
          thread: t.thread,
          mappings: t.total,
          valid: t.valid,
          stop: t.stop,
          seconds: t.seconds,
          improvements: t.improvements.map((i) => ({ mappings: i.mappings, seconds: i.seconds, costs: Object.fromEntries(run.timeloop.metrics.map((m, k) => [m, i.best.costs[k]!])) }))
        }))
      }
      : run.kind === "workload"
      ? {
        proposals: run.workload.proposals, valid: run.workload.valid, stop: run.workload.stop, charges: run.workload.charges,
        unprunedEvaluations: run.workload.unprunedEvaluations,
        mapspaceSize: run.workload.mapspaceSize, tablesSeconds: run.tablesSeconds
      }
      : {}
  }
})
