/**
 * A progress line on stderr while the search runs: templates done per Einsum and overall,
 * redrawn at most ten times a second, and only on a terminal (never in pipes, CI logs or with
 * --quiet).
 */
import type { TemplateProgress } from "@effect-accelforge/mapper"

export interface ProgressLine {
  readonly update: (p: TemplateProgress) => void
  readonly finish: () => void
}

export const progressLine = (enabled: boolean, einsums: number): ProgressLine => {
  if (!enabled) return { update: () => {}, finish: () => {} }
  const perEinsum = new Map<string, { done: number; total: number }>()
  let last = 0
  let drawn = false
  return {
    update: (p) => {
      perEinsum.set(p.einsum, { done: p.done, total: p.total })
      const now = performance.now()
      if (now - last < 100 && p.done !== p.total) return
      last = now
      const finished = [...perEinsum.values()].filter((x) => x.done === x.total).length
      const width = 24
      const fraction = einsums === 0 ? 1 : (finished + (p.total === 0 ? 0 : p.done / p.total) * (p.done === p.total ? 0 : 1)) / einsums
      const bar = "#".repeat(Math.round(fraction * width)).padEnd(width, "-")
      process.stderr.write(`\r\x1b[2Ksearching [${bar}] ${finished}/${einsums} Einsums · ${p.einsum}: template ${p.done}/${p.total}`)
      drawn = true
    },
    finish: () => {
      if (drawn) process.stderr.write("\r\x1b[2K")
    }
  }
}
