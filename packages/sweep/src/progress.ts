/**
 * Sweep progress: one line per finished point (its axis values, status and figures) with the
 * counts so far (done, running, failed) and an estimate of the time left from this run's pace.
 * One line per point, not a redrawn bar: a sweep runs for minutes to hours, and its log in a
 * file or CI should say what happened to each point.
 */
import type { PointOutcome } from "./point-outcome.ts"
import type { SweepPoint } from "./sweep-file.ts"

export interface SweepProgress {
  readonly started: (point: SweepPoint) => void
  readonly finished: (point: SweepPoint, outcome: PointOutcome) => void
}

const seconds = (ms: number): string => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms < 600_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 60_000).toFixed(1)} min`)

export const axesText = (axes: Readonly<Record<string, unknown>>): string =>
  Object.entries(axes).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(" ") || "(no axes)"

const short = (n: number | null): string =>
  n === null ? "-" : n !== 0 && (Math.abs(n) < 1e-3 || Math.abs(n) >= 1e6) ? n.toExponential(4) : String(Number(n.toPrecision(5)))

/** A failed point's error as one phrase (typed errors' messages already start with their tag). */
export const errorText = (o: PointOutcome): string =>
  o.errorMessage === null ? "" : o.errorTag !== null && !o.errorMessage.startsWith(o.errorTag) ? `${o.errorTag}: ${o.errorMessage}` : o.errorMessage

const figures = (o: PointOutcome): string => (o.status === "done" ? `energy ${short(o.energy)} latency ${short(o.latency)}` : errorText(o))

/** Progress of `todo` points, `before` of `total` having been recorded by earlier runs. */
export const sweepProgress = (total: number, before: number, todo: number, write: (line: string) => void, now: () => number = Date.now): SweepProgress => {
  const start = now()
  let done = 0
  let failed = 0
  let running = 0
  const width = String(total).length
  return {
    started: () => void running++,
    finished: (point, outcome) => {
      running--
      done++
      if (outcome.status === "failed") failed++
      const left = todo - done
      const eta = left === 0 ? "" : `, ETA ${seconds(((now() - start) / done) * left)}`
      const count = String(before + done).padStart(width)
      write(`[${count}/${total}] ${outcome.status.padEnd(6)} ${axesText(point.axes)}: ${figures(outcome)} (${seconds(outcome.wallTimeMs)}) · ${running} running, ${failed} failed${eta}`)
    }
  }
}
