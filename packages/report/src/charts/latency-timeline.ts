/**
 * When each Einsum runs: one bar per (Einsum, start, end) record on a shared time axis. The
 * model adds Einsum latencies today and records no start or end times; the overlapped-latency
 * work (write-backs off the critical path, tile-level pipelining) produces these records, and
 * the report draws this chart whenever it is given them.
 */
import { type Chart, chartConfig, SCHEMA, SI_FORMAT } from "../chart/chart.ts"

export interface TimelineEntry {
  readonly einsum: string
  readonly start: number
  readonly end: number
  /** What the bar stands for when an Einsum has several (e.g. "compute", "write-back"). */
  readonly phase?: string
}

export const latencyTimelineChart = (entries: ReadonlyArray<TimelineEntry>, einsumOrder: ReadonlyArray<string>): Chart => ({
  id: "latency-timeline",
  title: "Latency timeline",
  caption: "When each Einsum runs, on the arch's time axis; overlapping bars run at the same time.",
  expectedMarks: entries.length,
  spec: {
    $schema: SCHEMA,
    title: "Latency timeline",
    width: 420,
    height: Math.max(80, 24 * einsumOrder.length),
    config: chartConfig,
    data: { values: entries.map((e) => ({ einsum: e.einsum, start: e.start, end: e.end, phase: e.phase ?? "run" })) },
    mark: { type: "bar", tooltip: true },
    encoding: {
      y: { field: "einsum", type: "nominal", title: "Einsum", sort: [...einsumOrder] },
      x: { field: "start", type: "quantitative", title: "time", axis: { format: SI_FORMAT } },
      x2: { field: "end" },
      color: { field: "phase", type: "nominal", title: "" }
    }
  }
})
