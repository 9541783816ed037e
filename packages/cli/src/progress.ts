/**
 * Progress on stderr while the search runs: templates done per Einsum and overall, then the
 * join (Einsum k of n, groups met, row pairs formed, time left). On a terminal one line is
 * redrawn at most ten times a second; with `--progress` and stderr not a terminal (CI logs, a
 * script watching the run) plain lines are written instead: one when the search starts, one
 * per Einsum searched, and the join's at most once a second. Never with --quiet.
 */
import type { JoinProgress, TemplateProgress } from "@effect-accelforge/mapper"

export type ProgressMode = "off" | "terminal" | "lines"

export interface ProgressLine {
  /** Say the per-Einsum search starts (lines mode only). */
  readonly start: (threads: number) => void
  readonly update: (p: TemplateProgress) => void
  readonly join: (p: JoinProgress) => void
  readonly finish: () => void
}

export const progressMode = (quiet: boolean, plainLines: boolean): ProgressMode =>
  quiet ? "off" : process.stderr.isTTY === true ? "terminal" : plainLines ? "lines" : "off"

/** "12 s", "3 min": how long the rest of the join should take at its pace so far. */
const timeLeft = (elapsedMs: number, fraction: number): string => {
  if (fraction <= 0) return "unknown"
  const seconds = Math.round((elapsedMs * (1 - fraction)) / fraction / 1000)
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`
}

/** The join's text: the next Einsum joined, groups of the Einsums before it met so far, row pairs, time left. */
const joinText = (p: JoinProgress, startedMs: number): string => {
  // Step 1 (the first Einsum alone) is instant; steps 2..n each take a share.
  const fraction = p.steps <= 1 ? 1 : (p.step - 2 + (p.groups === 0 ? 0 : p.groupsDone / p.groups)) / (p.steps - 1)
  const what = p.phase === "upper bound" ? "bounding the join: joining" : "joining"
  return `${what} Einsum ${p.einsum} (${p.step} of ${p.steps}): ${p.groupsDone} of ${p.groups} groups met, ${p.rowsFormed} row pairs, ` +
    `about ${timeLeft(performance.now() - startedMs, fraction)} left`
}

const write = (text: string) => void process.stderr.write(text)

export const progressLine = (mode: boolean | ProgressMode, einsums: number): ProgressLine => {
  const how = mode === true ? "terminal" : mode === false ? "off" : mode
  if (how === "off") return { start: () => {}, update: () => {}, join: () => {}, finish: () => {} }
  const perEinsum = new Map<string, { done: number; total: number }>()
  let last = -Infinity
  let joinStarted: number | undefined
  let drawn = false
  const finished = () => [...perEinsum.values()].filter((x) => x.done === x.total).length
  const draw = (text: string) => {
    write(how === "terminal" ? `\r\x1b[2K${text}` : `${text}\n`)
    drawn = true
  }
  return {
    start: (threads) => {
      if (how === "lines") draw(`searching ${einsums} Einsums on ${threads} thread(s)`)
    },
    update: (p) => {
      const wasDone = perEinsum.get(p.einsum)?.done === p.total
      perEinsum.set(p.einsum, { done: p.done, total: p.total })
      if (how === "lines") {
        if (p.done === p.total && !wasDone) draw(`searched Einsum ${p.einsum} (${finished()} of ${einsums})`)
        return
      }
      const now = performance.now()
      if (now - last < 100 && p.done !== p.total) return
      last = now
      const width = 24
      const fraction = einsums === 0 ? 1 : (finished() + (p.total === 0 ? 0 : p.done / p.total) * (p.done === p.total ? 0 : 1)) / einsums
      const bar = "#".repeat(Math.round(fraction * width)).padEnd(width, "-")
      draw(`searching [${bar}] ${finished()}/${einsums} Einsums · ${p.einsum}: template ${p.done}/${p.total}`)
    },
    join: (p) => {
      const now = performance.now()
      if (joinStarted === undefined) {
        joinStarted = now
        last = -Infinity
      }
      if (now - last < (how === "terminal" ? 100 : 1000)) return
      last = now
      draw(joinText(p, joinStarted))
    },
    finish: () => {
      if (drawn && how === "terminal") write("\r\x1b[2K")
    }
  }
}
