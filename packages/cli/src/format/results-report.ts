/**
 * How recorded sweep points are shown and exported: a terminal table (axis values, status,
 * totals, time, error), CSV (one row per point, for spreadsheets) and the JSON list that
 * scripts and the report read.
 */
import { errorText, type StoredPoint } from "@effect-accelforge/sweep"
import { type Cell, renderTable } from "./table.ts"

const axisNames = (points: ReadonlyArray<StoredPoint>): Array<string> => [...new Set(points.flatMap((p) => Object.keys(p.axes)))]

const showValue = (v: unknown): string => (v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v))

const several = (points: ReadonlyArray<StoredPoint>) => new Set(points.map((p) => p.sweep)).size > 1

export const resultsTable = (points: ReadonlyArray<StoredPoint>): string => {
  if (points.length === 0) return "no points recorded"
  const axes = axisNames(points)
  const withSweep = several(points)
  const columns = [
    ...(withSweep ? [{ header: "sweep" }] : []),
    ...axes.map((a) => ({ header: a })),
    { header: "status" },
    { header: "energy", align: "right" as const },
    { header: "latency", align: "right" as const },
    { header: "edp", align: "right" as const },
    { header: "off-chip (B)", align: "right" as const },
    { header: "time (s)", align: "right" as const },
    { header: "error" }
  ]
  const rows = points.map((p): Array<Cell> => {
    const o = p.outcome
    return [
      ...(withSweep ? [p.sweep] : []),
      ...axes.map((a) => showValue(p.axes[a])),
      o.status,
      o.energy ?? "",
      o.latency ?? "",
      o.edp ?? "",
      o.offChipBytes ?? "",
      Number((o.wallTimeMs / 1000).toFixed(2)),
      errorText(o)
    ]
  })
  const done = points.filter((p) => p.outcome.status === "done").length
  return `${renderTable(columns, rows)}\n\n${points.length} point(s): ${done} done, ${points.length - done} failed`
}

const csvField = (v: unknown): string => {
  const text = v === null || v === undefined ? "" : typeof v === "string" ? v : typeof v === "number" ? String(v) : JSON.stringify(v)
  return /[",\n\r]/.test(text) ? `"${text.replaceAll("\"", "\"\"")}"` : text
}

const CSV_FIELDS = ["status", "energy", "dynamicEnergy", "leakEnergy", "latency", "edp", "area", "offChipBytes", "templates", "evaluated", "valid", "paretoOptimal", "wallTimeMs", "errorTag", "errorMessage", "computedBy"] as const

export const resultsCsv = (points: ReadonlyArray<StoredPoint>): string => {
  const axes = axisNames(points)
  const header = ["sweep", ...axes, ...CSV_FIELDS, "finishedAt"]
  const rows = points.map((p) => [p.sweep, ...axes.map((a) => p.axes[a]), ...CSV_FIELDS.map((f) => p.outcome[f]), p.finishedAt])
  return [header, ...rows].map((r) => r.map(csvField).join(",")).join("\n") + "\n"
}

const parsed = (text: string | null): unknown => (text === null ? null : JSON.parse(text))

/** One object per point: `point` (axis values), `status`, totals, `offChipBytes`, `error` and `errorTag` when failed, counters, record and stats (the list `report --json-input` reads). */
export const resultsJson = (points: ReadonlyArray<StoredPoint>) =>
  points.map((p) => {
    const o = p.outcome
    return {
      sweep: p.sweep,
      point: p.axes,
      status: o.status,
      energy: o.energy,
      dynamicEnergy: o.dynamicEnergy,
      leakEnergy: o.leakEnergy,
      latency: o.latency,
      edp: o.edp,
      area: o.area,
      offChipBytes: o.offChipBytes,
      // The error as one line (what the report shows) and its tag (for scripts that branch on it).
      ...(o.status === "failed" ? { error: errorText(o), errorTag: o.errorTag } : {}),
      counters: { templates: o.templates, evaluated: o.evaluated, valid: o.valid, paretoOptimal: o.paretoOptimal },
      wallTimeMs: o.wallTimeMs,
      computedBy: o.computedBy,
      finishedAt: p.finishedAt,
      record: parsed(o.record),
      stats: parsed(o.stats)
    }
  })
