/**
 * min_usage with "best effort" is a rule about a template's rows together, not one row (FFM
 * §11 D): per spatial dimension, as soon as every rank variable with a loop on it is chosen,
 * the rows reaching `min_usage` are kept, or, when none does, the rows at the best usage. The
 * rows in question are the partial rows valid at that step (loop counts, fanout, occupancy)
 * that passed the dimensions decided before, exactly as FFM's enumeration applies it. This
 * module finds each dimension's threshold once per template, so a mapspace can then check
 * min_usage one mapping at a time.
 *
 * A dimension's usage is the product of its spatial loops' iteration counts, each a divisor of
 * its variable's bound, so the usages it can reach are few. They are tried from the highest
 * down: for each, a depth-first search over the partial rows, keeping only tile shapes whose
 * counts on the dimension can still multiply to it, looks for one valid row. The first usage
 * with a row is the best there is; when it reaches `min_usage`, the threshold is `min_usage`.
 */
import { divisorChains, divisors } from "../tiles/divisor-chains.ts"
import { checkPartialRow, dimensionUsage, type MinUsageDimension, reachesUsage, rowCounts, type TemplateRules } from "./validity.ts"

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

/** Instance counts the dimension's loops can use together (at most its fanout), highest first. */
const reachableCounts = (rules: TemplateRules, m: MinUsageDimension): Array<number> => {
  let products = new Set([1])
  for (const l of m.loops) {
    const bound = rules.bounds.get(rules.loops[l]!.rankVariable)!
    const next = new Set<number>()
    for (const p of products) for (const c of divisors(bound)) if (p * c <= m.fanout) next.add(p * c)
    products = next
  }
  return [...products].sort((a, b) => b - a)
}

export const minUsageThresholds = (rules: TemplateRules): MinUsageThresholds => {
  const thresholds = new Float64Array(rules.minUsage.length).fill(-Infinity)
  const row = new Int32Array(Math.max(1, rules.loops.length)).fill(1)
  const chains = rules.variables.map((v, i) => divisorChains(rules.bounds.get(v)!, rules.loopsOfVariable[i]!.length))
  const decided: Array<number> = []
  let rowsLooked = 0

  /** Whether some valid partial row up to dimension `target`'s step uses exactly `used` of its instances. */
  const exists = (target: number, used: number): boolean => {
    const m = rules.minUsage[target]!
    const onTarget = new Uint8Array(rules.loops.length)
    for (const l of m.loops) onTarget[l] = 1
    const lastOnTarget = m.completesAfter
    const visit = (v: number, usedSoFar: number): boolean => {
      const own = rules.loopsOfVariable[v]!
      const list = chains[v]!
      const n = own.length === 0 ? 1 : list.length / own.length
      const bound = rules.bounds.get(rules.variables[v]!)!
      for (let c = 0; c < n; c++) {
        // This variable's share of the dimension's instances: the counts of its loops there.
        let share = 1
        let outer = bound
        for (let k = 0; k < own.length; k++) {
          const tile = list[c * own.length + k]!
          if (onTarget[own[k]!] === 1) share *= outer / tile
          outer = tile
        }
        const product = usedSoFar * share
        if (used % product !== 0 || (v === lastOnTarget && product !== used)) continue
        for (let k = 0; k < own.length; k++) row[own[k]!] = list[c * own.length + k]!
        rowsLooked++
        if (checkPartialRow(rules, row, 0, v) !== 0 || !passesDecided(v)) continue
        if (v === lastOnTarget || visit(v + 1, product)) return true
      }
      for (const i of own) row[i] = 1
      return false
    }
    const found = visit(0, 1)
    row.fill(1)
    return found
  }

  /** The row passes every dimension decided before, at its step `v`. */
  const passesDecided = (v: number): boolean => {
    const counts = rowCounts(rules, row, 0, v)
    for (const d of decided) {
      const m = rules.minUsage[d]!
      if (m.completesAfter === v && !reachesUsage(dimensionUsage(rules, counts, d), thresholds[d]!, m.minUsage)) return false
    }
    return true
  }

  for (const d of decisionOrder(rules)) {
    const m = rules.minUsage[d]!
    const best = reachableCounts(rules, m).find((used) => exists(d, used))
    if (best === undefined) return { thresholds, empty: true, rowsLooked }
    thresholds[d] = reachesUsage(best / m.fanout, m.minUsage, m.minUsage) ? m.minUsage : best / m.fanout
    decided.push(d)
  }
  return { thresholds, empty: false, rowsLooked }
}
