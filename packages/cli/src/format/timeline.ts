/**
 * A text timeline of the Einsums under an overlap mode (docs/overlapped-latency.md): one bar per
 * Einsum from its first start to its last end on the critical path, scaled to the workload's
 * latency, then each component's total busy time as a bar of the same scale. What sets the
 * latency is what reaches the right edge: the last Einsum, or a component busy for all of it.
 */
import type { OverlapBreakdown } from "@effect-accelforge/model"
import { formatNumber } from "./table.ts"

const WIDTH = 48

/** Cells [from, to) of a bar over [start, end) on a scale of `latency` per WIDTH cells (at least one cell when not empty). */
const bar = (start: number, end: number, latency: number): string => {
  if (latency <= 0) return ""
  const from = Math.min(WIDTH - 1, Math.floor((start / latency) * WIDTH))
  const to = Math.max(from + (end > start ? 1 : 0), Math.round((end / latency) * WIDTH))
  return " ".repeat(from) + "#".repeat(Math.min(WIDTH, to) - from)
}

export const renderTimeline = (overlap: OverlapBreakdown): string => {
  const names = [...overlap.einsums.map((e) => e.einsum), ...overlap.components.map((c) => c.component)]
  const pad = Math.max(...names.map((n) => n.length))
  const line = (name: string, cells: string, note: string) => `${name.padEnd(pad)} |${cells.padEnd(WIDTH)}| ${note}`
  const scale = overlap.latency
  return [
    `Timeline (overlap ${overlap.mode}; latency ${formatNumber(scale)}, critical path ends at ${formatNumber(overlap.criticalPath)}):`,
    ...overlap.einsums.map((e) => line(e.einsum, bar(e.start, e.end, scale), `${formatNumber(e.start)} .. ${formatNumber(e.end)}`)),
    ...overlap.components.map((c) => line(c.component, bar(0, c.busy, scale), `busy ${formatNumber(c.busy)}`))
  ].join("\n")
}
