/**
 * `compare`'s figures from each strategy's run: its best score and how far it is from FFM's
 * optimum, the evaluations and seconds it took to reach its own best and to come within 1% and
 * 5% of FFM's optimum (the first point of its history at or below the target), or "not
 * reached in budget".
 */
import type { HistoryPoint, StrategyRun } from "@effect-accelforge/mapper"
import { formatCount } from "./run-report.ts"
import { formatNumber, renderTable } from "./table.ts"

export interface Reached {
  readonly evaluations: number
  readonly seconds: number
}

export interface ComparisonRow {
  readonly strategy: string
  readonly score: number
  /** (score − FFM's optimum) / FFM's optimum. */
  readonly gap: number
  /** Per-Einsum strategies on several Einsums: against FFM's optimum over the mapspace they search (without fusion). */
  readonly ownGap: number | undefined
  readonly toBest: Reached | undefined
  readonly within1: Reached | undefined
  readonly within5: Reached | undefined
  /** sa and ga: evaluations to within 5% had every draw been charged the whole tile space (see workload-search.ts). */
  readonly within5Unpruned: number | undefined
  readonly evaluations: number
  readonly seconds: number
  readonly stop: string
  readonly history: ReadonlyArray<HistoryPoint>
}

const firstAtMost = (history: ReadonlyArray<HistoryPoint>, target: number): Reached | undefined => {
  const p = history.find((x) => x.score <= target)
  return p === undefined ? undefined : { evaluations: p.evaluations, seconds: p.seconds }
}

const stopOf = (run: StrategyRun): string => {
  if (run.kind === "ffm") return "exact (searched everything)"
  if (run.kind === "workload") return run.workload.stop
  const counts = new Map<string, number>()
  for (const e of run.timeloop.einsums) for (const t of e.threads) counts.set(t.stop, (counts.get(t.stop) ?? 0) + 1)
  return [...counts].map(([reason, n]) => (n > 1 ? `${reason} x${n}` : reason)).join(", ")
}

/** A strategy that found no valid mapping in its budget (Timeloop's threads may all give up). */
export const failedRow = (strategy: string, reason: string): ComparisonRow => ({
  strategy, score: NaN, gap: NaN, ownGap: undefined, toBest: undefined, within1: undefined, within5: undefined, within5Unpruned: undefined,
  evaluations: NaN, seconds: NaN,
  stop: `no valid mapping: ${reason}`, history: []
})

export const comparisonRow = (run: StrategyRun, ffm: number, unfused: number | undefined): ComparisonRow => {
  // An FFM run has one point: its optimum, found when it finishes.
  const history = run.history.length > 0 ? run.history : [{ evaluations: run.evaluations, seconds: run.seconds, score: run.score }]
  return {
    strategy: run.strategy,
    score: run.score,
    gap: (run.score - ffm) / Math.abs(ffm),
    ownGap: run.kind === "einsum" && unfused !== undefined ? (run.score - unfused) / Math.abs(unfused) : undefined,
    toBest: firstAtMost(history, run.score * (1 + 1e-12)),
    within1: firstAtMost(history, ffm + Math.abs(ffm) * 0.01),
    within5: firstAtMost(history, ffm + Math.abs(ffm) * 0.05),
    within5Unpruned: history.find((x) => x.score <= ffm + Math.abs(ffm) * 0.05)?.unprunedEvaluations,
    evaluations: run.evaluations,
    seconds: run.seconds,
    stop: stopOf(run),
    history
  }
}

const percent = (x: number): string => (Math.abs(x) < 5e-13 ? "0%" : `${x > 0 ? "+" : ""}${formatNumber(x * 100)}%`)
const reached = (r: Reached | undefined, part: "evaluations" | "seconds"): string =>
  r === undefined ? "not reached in budget" : part === "evaluations" ? formatCount(Math.round(r.evaluations)) : r.seconds.toFixed(2)

export const renderComparison = (rows: ReadonlyArray<ComparisonRow>): string =>
  renderTable(
    [
      { header: "strategy" }, { header: "best score", align: "right" }, { header: "vs FFM", align: "right" }, { header: "vs FFM (own mapspace)", align: "right" },
      { header: "evals to best", align: "right" }, { header: "s to best", align: "right" },
      { header: "evals to 1%", align: "right" }, { header: "s to 1%", align: "right" },
      { header: "evals to 5%", align: "right" }, { header: "s to 5%", align: "right" },
      { header: "evaluations", align: "right" }, { header: "seconds", align: "right" }, { header: "stopped by" }
    ],
    rows.map((r) => [
      r.strategy, Number.isNaN(r.score) ? "none" : r.score, Number.isNaN(r.gap) ? "-" : percent(r.gap), r.ownGap === undefined ? "-" : percent(r.ownGap),
      reached(r.toBest, "evaluations"), reached(r.toBest, "seconds"),
      reached(r.within1, "evaluations"), reached(r.within1, "seconds"),
      reached(r.within5, "evaluations"), reached(r.within5, "seconds"),
      Number.isNaN(r.evaluations) ? "-" : formatCount(Math.round(r.evaluations)), Number.isNaN(r.seconds) ? "-" : r.seconds.toFixed(2), r.stop
    ])
  )

/** The rows' notes: what the evaluations of sa and ga would be with the charge of a search that prunes nothing. */
export const unprunedNotes = (rows: ReadonlyArray<ComparisonRow>): Array<string> =>
  rows.flatMap((r) =>
    r.within5Unpruned === undefined ? [] : [`${r.strategy}: within 5% after ${formatCount(Math.round(r.within5Unpruned))} evaluations if every draw is charged its Einsum's whole tile space per Pareto-optimal pmapping (a search that prunes nothing)`]
  )
