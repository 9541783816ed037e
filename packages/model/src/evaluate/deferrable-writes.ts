/**
 * Which writes an overlap mode takes off the critical path (docs/overlapped-latency.md §1), per
 * Einsum of an analysed mapping: an Einsum's writes of its output `t` into its backing holder
 * of `t`, on level `L`, when no Einsum that reads `t` reads it from `L` (holds `t` there: every
 * holder of an input is read, to feed the compute or a holder below it). Nothing waits for such
 * a write but the end of the workload. A reader that holds `t` elsewhere only (the copy it is
 * fused through, say) does not wait for it.
 */
import type { EinsumAnalysisResult } from "../analysis/analyze-einsum.ts"
import type { OverlapMode } from "../compose/composition.ts"

const NOTHING: ReadonlySet<string> = new Set()

/** Per tensor, the levels its readers hold it at. */
const readLevels = (analyses: ReadonlyArray<EinsumAnalysisResult>): Map<string, Set<number>> => {
  const levels = new Map<string, Set<number>>()
  for (const a of analyses) {
    const inputs = new Set(a.pmapping.context.einsum.inputs)
    for (const b of a.buffets) {
      if (b.holder === undefined || !inputs.has(b.tensor)) continue
      let at = levels.get(b.tensor)
      if (at === undefined) levels.set(b.tensor, at = new Set())
      at.add(b.level)
    }
  }
  return levels
}

/**
 * Per Einsum (in the order of `analyses`), the outputs whose landing in the backing holder is
 * deferrable: none of its backing holders sits on a level a reader of the tensor holds it at.
 * None in mode `none`.
 */
export const deferrableWrites = (analyses: ReadonlyArray<EinsumAnalysisResult>, mode: OverlapMode): ReadonlyArray<ReadonlySet<string>> => {
  if (mode === "none") return analyses.map(() => NOTHING)
  const readAt = readLevels(analyses)
  return analyses.map((a) => {
    const output = a.pmapping.context.einsum.output
    const read = readAt.get(output)
    const backing = a.buffets.filter((b) => b.tensor === output && b.holder?.backing === true)
    return backing.every((b) => read?.has(b.level) !== true) ? new Set([output]) : NOTHING
  })
}
