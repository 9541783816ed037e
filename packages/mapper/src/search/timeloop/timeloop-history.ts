/**
 * How a Timeloop-style search's whole-workload result improved: its threads run independently,
 * so they are replayed in lock step (every thread at its k-th mapping at the same time), and
 * whenever some Einsum's best changes the per-Einsum bests are composed and the model scores
 * the mapping. Evaluations at step k are every thread's mappings up to k; seconds are every
 * thread's own time up to k (at its average rate), so the history is the same however the
 * threads were spread over workers. Until every Einsum has a valid mapping there is no score.
 *
 * The composed score need not fall at every step (an Einsum's best by its own metric can raise
 * the workload's EDP): each point is the composition at that step. Threads improve thousands of
 * times and each composition is a model evaluation of the whole workload, so the history is
 * sampled: a point when some Einsum's best changed and the evaluations grew by `resolution`
 * (1%) since the last point, and always the last step. Evaluations to reach a score are then
 * known to within that resolution.
 */
import type { LoadedSpec } from "@effect-accelforge/core"
import type { SearchSetup } from "../search-setup.ts"
import { type HistoryPoint, totalsOfEvaluation, workloadScore } from "../workload-score.ts"
import type { ThreadOutcome, UnitOutcome } from "./einsum-units.ts"
import type { BestMapping } from "./search-thread.ts"
import { composedMapping, einsumBest } from "./timeloop-search.ts"

export const timeloopHistory = (loaded: LoadedSpec, setup: SearchSetup, units: ReadonlyArray<UnitOutcome>, resolution = 0.01): Array<HistoryPoint> => {
  const threads: Array<ThreadOutcome> = units.flatMap((u) => u.threads)
  const events = threads.flatMap((t, i) => t.improvements.map((imp) => ({ step: imp.mappings, thread: i, best: imp.best })))
    .sort((a, b) => a.step - b.step || a.thread - b.thread)
  const current: Array<BestMapping | undefined> = threads.map(() => undefined)
  const evaluationsAt = (step: number) => threads.reduce((s, t) => s + Math.min(step, t.total), 0)
  const secondsAt = (step: number) => threads.reduce((s, t) => s + (t.total === 0 ? 0 : t.seconds * Math.min(step, t.total) / t.total), 0)
  const out: Array<HistoryPoint> = []
  let composed: ReadonlyArray<BestMapping | undefined> = []
  let pending: { readonly step: number; readonly bests: Array<BestMapping | undefined> } | undefined
  const compose = (step: number, bests: ReadonlyArray<BestMapping | undefined>) => {
    const { evaluation } = composedMapping(loaded, setup, bests as Array<BestMapping>)
    out.push({ evaluations: evaluationsAt(step), seconds: secondsAt(step), score: workloadScore(setup.config.metrics, totalsOfEvaluation(setup.composition, evaluation)) })
    composed = bests
    pending = undefined
  }
  for (let i = 0; i < events.length;) {
    const step = events[i]!.step
    for (; i < events.length && events[i]!.step === step; i++) current[events[i]!.thread] = events[i]!.best
    const bests = setup.contexts.map((_, e) =>
      einsumBest(threads.flatMap((t, k) => (t.einsum === e && current[k] !== undefined ? [{ ...t, best: current[k] }] : [])))
    )
    if (bests.some((b) => b === undefined) || bests.every((b, e) => b === composed[e])) continue
    const last = out[out.length - 1]
    if (last === undefined || evaluationsAt(step) >= last.evaluations * (1 + resolution)) compose(step, bests)
    else pending = { step, bests }
  }
  // The final bests are always a point (the result the search returns).
  if (pending !== undefined) compose(pending.step, pending.bests)
  return out
}
