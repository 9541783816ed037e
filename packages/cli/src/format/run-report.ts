/**
 * The terminal rendering of `run`: what was optimized and how much was searched, the result
 * (the evaluate report of the chosen mapping), the search counters per Einsum, what each join
 * step kept, and the mapping.
 */
import type { EinsumCounters, MapResult } from "@effect-accelforge/mapper"
import { JOIN_COLUMNS, SEARCH_COLUMNS } from "@effect-accelforge/report"
import { renderEvaluateReport } from "./evaluate-report.ts"
import { renderTable } from "./table.ts"

/** Counts as AccelForge prints them: plain below 1000, else like 7.22e05. */
export const formatCount = (n: number): string => {
  if (n < 1000) return String(n)
  const [mantissa, exponent] = n.toExponential(2).split("e") as [string, string]
  const e = Number(exponent)
  return `${mantissa}e${e < 0 ? "-" : ""}${String(Math.abs(e)).padStart(2, "0")}`
}

/** A reused Einsum names the one whose search it shares. */
const einsumLabel = (r: { readonly einsum: string; readonly reusedFrom?: string }): string =>
  r.reusedFrom === undefined ? r.einsum : `${r.einsum} (as ${r.reusedFrom})`

const counters = (rows: ReadonlyArray<EinsumCounters>): string => {
  const total = rows.reduce((s, r) => ({
    templates: s.templates + r.templates, total: s.total + r.total, valid: s.valid + r.valid, evaluated: s.evaluated + r.evaluated,
    paretoOptimal: s.paretoOptimal + r.paretoOptimal
  }), { templates: 0, total: 0, valid: 0, evaluated: 0, paretoOptimal: 0 })
  return renderTable(
    SEARCH_COLUMNS,
    [...rows, { einsum: "Total", ...total }].map((r) => [einsumLabel(r), r.templates, formatCount(r.total), formatCount(r.valid), formatCount(r.evaluated), formatCount(r.paretoOptimal)])
  )
}

const PRELIMINARY_LABEL = { unfused: "before: unfused join", "upper bound": "before: beam join (bound)" } as const

/** What each join step did: groups that met, row pairs formed, rows kept; the joins made before it first. */
const joinSteps = (steps: MapResult["joinSteps"], preliminaryJoins: MapResult["preliminaryJoins"] = []): string =>
  renderTable(
    JOIN_COLUMNS,
    [...preliminaryJoins, ...steps].map((s) => [
      s.phase === "unfused" || s.phase === "upper bound" ? PRELIMINARY_LABEL[s.phase] : s.einsum,
      s.pairsJoined, formatCount(s.rowsFormed), formatCount(s.rowsKept), s.groupsKept, s.seconds.toFixed(3)
    ])
  )

/** Every point of a multi-objective run's front, the reported one first. */
const frontTable = (points: MapResult["points"]): string =>
  renderTable(
    [{ header: "#", align: "right" }, { header: "Energy (J)", align: "right" }, { header: "Latency (s)", align: "right" }, { header: "EDP (J*s)", align: "right" }],
    points.map((p, i) => [i === 0 ? "1 (below)" : String(i + 1), p.evaluation.energy, p.evaluation.latency, p.evaluation.energy * p.evaluation.latency])
  )

/** Why the search stopped early and what it did not explore (every strategy's report starts with it). */
export const incompleteNote = (r: Pick<MapResult, "incomplete">): Array<string> =>
  r.incomplete === undefined ? [] : [`INCOMPLETE: ${r.incomplete.reason}.`, `Not explored: ${r.incomplete.unexplored}.`, ""]

/** The threads a search ran on: "2", or "1 of 2" when the work never paid for a worker (the search's own choice). */
export const threadsText = (used: number, jobs: number): string => (used < jobs ? `${used} of ${jobs}` : `${jobs}`)

export const renderRunReport = (r: MapResult, metric: string, jobs: number, mappingText: string): string =>
  [
    ...incompleteNote(r),
    `${r.complete ? "Best" : "Best so far:"} fused mapping for ${metric}, found in ${(r.wallTimeMs / 1000).toFixed(2)} s on ${threadsText(r.searchThreads, jobs)} thread(s)${r.frontSize > 1 ? ` (one of ${r.frontSize} on the Pareto front)` : ""}`,
    ...(r.points.length > 1 ? ["", "Pareto front (every mapping no other beats on all the objectives):", frontTable(r.points)] : []),
    "",
    renderEvaluateReport(r.evaluation),
    "",
    "Search (pmappings per Einsum):",
    counters(r.counters),
    "",
    "Join (Einsum by Einsum, in workload order):",
    joinSteps(r.joinSteps, r.preliminaryJoins),
    "",
    "Mapping:",
    mappingText
  ].join("\n")
