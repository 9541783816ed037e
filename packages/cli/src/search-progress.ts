/**
 * A live status line for a Timeloop-style search on stderr, only on a terminal (never in pipes,
 * CI logs or with --quiet): mappings tried and valid over every thread so far, and the thread
 * that reported last with its best. Redrawn at most ten times a second.
 */
import type { ThreadProgress } from "@effect-accelforge/mapper"

export interface SearchStatusLine {
  readonly update: (p: ThreadProgress) => void
  readonly finish: () => void
}

export const searchStatusLine = (enabled: boolean, strategy: string): SearchStatusLine => {
  if (!enabled) return { update: () => {}, finish: () => {} }
  const threads = new Map<string, ThreadProgress>()
  let last = 0
  let drawn = false
  return {
    update: (p) => {
      threads.set(`${p.einsum}:${p.thread}`, p)
      const now = performance.now()
      if (now - last < 100) return
      last = now
      let mappings = 0
      let valid = 0
      for (const t of threads.values()) {
        mappings += t.mappings
        valid += t.valid
      }
      const best = p.best === undefined ? "none yet" : p.best.toPrecision(4)
      process.stderr.write(`\r\x1b[2K${strategy}: ${mappings} mappings, ${valid} valid · ${p.einsum} thread ${p.thread}: ${p.mappings} mappings, best ${best}`)
      drawn = true
    },
    finish: () => {
      if (drawn) process.stderr.write("\r\x1b[2K")
    }
  }
}
