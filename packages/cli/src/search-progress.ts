/**
 * A live status line for a Timeloop-style search on stderr: mappings tried and valid over every
 * thread so far, and the thread that reported last with its best. On a terminal it is redrawn
 * at most ten times a second; with `--progress` and stderr not a terminal (a script watching the
 * run) it is written as a plain line at most once a second; never with --quiet.
 */
import type { ThreadProgress } from "@effect-accelforge/mapper"
import type { ProgressMode } from "./progress.ts"

export interface SearchStatusLine {
  readonly update: (p: ThreadProgress) => void
  readonly finish: () => void
}

export const searchStatusLine = (enabled: boolean | ProgressMode, strategy: string): SearchStatusLine => {
  const mode = enabled === true ? "terminal" : enabled === false ? "off" : enabled
  if (mode === "off") return { update: () => {}, finish: () => {} }
  const every = mode === "terminal" ? 100 : 1000
  const threads = new Map<string, ThreadProgress>()
  let last = 0
  let drawn = false
  return {
    update: (p) => {
      threads.set(`${p.einsum}:${p.thread}`, p)
      const now = performance.now()
      if (now - last < every) return
      last = now
      let mappings = 0
      let valid = 0
      for (const t of threads.values()) {
        mappings += t.mappings
        valid += t.valid
      }
      const best = p.best === undefined ? "none yet" : p.best.toPrecision(4)
      const text = `${strategy}: ${mappings} mappings, ${valid} valid · ${p.einsum} thread ${p.thread}: ${p.mappings} mappings, best ${best}`
      if (mode === "lines") {
        process.stderr.write(`${text}\n`)
        return
      }
      process.stderr.write(`\r\x1b[2K${text}`)
      drawn = true
    },
    finish: () => {
      if (drawn) process.stderr.write("\r\x1b[2K")
    }
  }
}
