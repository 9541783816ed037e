/**
 * When each Einsum runs: one bar per (Einsum, start, end) record on a shared time axis, and
 * below them one bar per component from 0 to its total busy time, on the same axis. The records
 * are the model's overlap breakdown (`EvaluationResult.overlap`: the Einsums' first start and
 * last end on the critical path, docs/overlapped-latency.md), so in mode `none` the bars follow
 * one another and under an overlap mode they overlap. What sets the latency is what reaches the
 * right edge: the last Einsum, or a component busy all the time.
 */
import type { OverlapBreakdown } from "@effect-accelforge/model"
import { type Chart, chartConfig, SCHEMA, SI_FORMAT } from "../chart/chart.ts"

export interface TimelineEntry {
  /** The row: an Einsum, or a component for its busy bar. */
  readonly einsum: string
  readonly start: number
  readonly end: number
  /** What the bar stands for ("run": an Einsum's span; "busy": a component's total busy time). */
  readonly phase?: string
}

/** The overlap breakdown as timeline records: each Einsum's span, then each component's busy time. */
export const timelineEntries = (overlap: OverlapBreakdown): Array<TimelineEntry> => [
  ...overlap.einsums.map((e) => ({ einsum: e.einsum, start: e.start, end: e.end, phase: "run" })),
  ...overlap.components.map((c) => ({ einsum: c.component, start: 0, end: c.busy, phase: "busy" }))
]

export const latencyTimelineChart = (entries: ReadonlyArray<TimelineEntry>, einsumOrder: ReadonlyArray<string>): Chart => {
  // Einsums in workload order, then the other rows (components) in the order given.
  const rows = [...einsumOrder, ...entries.map((e) => e.einsum).filter((n, i, all) => !einsumOrder.includes(n) && all.indexOf(n) === i)]
  return {
    id: "latency-timeline",
    title: "Latency timeline",
    caption: "When each Einsum runs (first start to last end on the critical path) and how long each component is busy in all, on one time axis; overlapping Einsum bars run at the same time.",
    expectedMarks: entries.length,
    spec: {
      $schema: SCHEMA,
      title: "Latency timeline",
      width: 420,
      height: Math.max(80, 24 * rows.length),
      config: chartConfig,
      data: { values: entries.map((e) => ({ einsum: e.einsum, start: e.start, end: e.end, phase: e.phase ?? "run" })) },
      mark: { type: "bar", tooltip: true },
      encoding: {
        y: { field: "einsum", type: "nominal", title: "Einsum / component", sort: rows },
        x: { field: "start", type: "quantitative", title: "time", axis: { format: SI_FORMAT } },
        x2: { field: "end" },
        color: { field: "phase", type: "nominal", title: "" }
      }
    }
  }
}
