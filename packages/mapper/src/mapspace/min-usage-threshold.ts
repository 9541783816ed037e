/**
 * min_usage with "best effort" is a rule about a template's rows together, not one row (FFM
 * §11 D): per spatial dimension, as soon as every rank variable with a loop on it is chosen,
 * the rows reaching `min_usage` are kept, or, when none does, the rows at the best usage. The
 * rows in question are the partial rows valid at that step (loop counts, fanout, occupancy)
 * that passed the dimensions decided before, exactly as FFM's enumeration applies it. This
 * module finds each dimension's threshold by a depth-first search over those partial rows,
 * stopping at the first row that reaches `min_usage`, so a mapspace can then check min_usage
 * one mapping at a time.
 */
import { divisorChains } from "../tiles/divisor-chains.ts"
import { checkPartialRow, dimensionUsage, reachesUsage, rowCounts, type TemplateRules } from "./validity.ts"

export interface MinUsageThresholds {
  /** Per min-usage dimension: `min_usage` when reachable, else the best usage (-Infinity: never filtered). */
  readonly thresholds: Float64Array
  /** No partial row survives up to some dimension's step: the template has no valid row. */
  readonly empty: boolean
  /** Partial rows the searches looked at. */
  readonly rowsLooked: number
}

/** Dimensions in the order FFM decides them: by the step completing them, then in arch order. */
const decisionOrder = (rules: TemplateRules): Array<number> =>
  rules.minUsage.map((m, d) => ({ d, step: m.completesAfter })).filter((x) => x.step >= 0).sort((a, b) => a.step - b.step || a.d - b.d).map((x) => x.d)

export const minUsageThresholds = (rules: TemplateRules): MinUsageThresholds => {
  const thresholds = new Float64Array(rules.minUsage.length).fill(-Infinity)
  const row = new Int32Array(Math.max(1, rules.loops.length)).fill(1)
  const chains = rules.variables.map((v, i) => divisorChains(rules.bounds.get(v)!, rules.loopsOfVariable[i]!.length))
  const decided: Array<number> = []
  let rowsLooked = 0

  /** The usage of dimension `target` over valid partial rows up to its step: min_usage on the first row reaching it, else the best. */
  const search = (target: number): number => {
    const m = rules.minUsage[target]!
    let best = -Infinity
    const visit = (v: number): boolean => {
      const own = rules.loopsOfVariable[v]!
      const list = chains[v]!
      const n = own.length === 0 ? 1 : list.length / own.length
      for (let c = 0; c < n; c++) {
        for (let k = 0; k < own.length; k++) row[own[k]!] = list[c * own.length + k]!
        rowsLooked++
        if (checkPartialRow(rules, row, 0, v) !== 0) continue
        const counts = rowCounts(rules, row, 0, v)
        let passes = true
        for (const d of decided) {
          if (rules.minUsage[d]!.completesAfter === v && !reachesUsage(dimensionUsage(rules, counts, d), thresholds[d]!, rules.minUsage[d]!.minUsage)) passes = false
        }
        if (!passes) continue
        if (v === m.completesAfter) {
          const usage = dimensionUsage(rules, counts, target)
          if (reachesUsage(usage, m.minUsage, m.minUsage)) return true
          best = Math.max(best, usage)
        } else if (visit(v + 1)) return true
      }
      for (const i of own) row[i] = 1
      return false
    }
    return visit(0) ? m.minUsage : best
  }

  for (const d of decisionOrder(rules)) {
    const t = search(d)
    row.fill(1)
    if (t === -Infinity) return { thresholds, empty: true, rowsLooked }
    thresholds[d] = t
    decided.push(d)
  }
  return { thresholds, empty: false, rowsLooked }
}
