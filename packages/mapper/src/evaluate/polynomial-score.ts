/**
 * Scoring a tile row from the template's cost polynomials instead of a full model run: action
 * counts, per-unit calls and reservations are the polynomials' values (checked against the
 * model per template, tiles/verified-pruner.ts), and latency and leak come from the model's
 * own functions on those calls, exactly as `einsumMetrics` computes them. The search scores
 * millions of rows; the mapping finally returned is re-evaluated by the model itself.
 */
import type { ComponentCalls } from "@effect-accelforge/model"
import { latencyOfCalls, leakEnergy } from "@effect-accelforge/model"
import type { CostTerms } from "../tiles/cost-terms.ts"
import type { PreparedTemplate, RowScore } from "./evaluate-row.ts"

export type RowScorer = (tiles: ArrayLike<number>, offset: number) => RowScore

export const polynomialScorer = (prepared: PreparedTemplate, terms: CostTerms): RowScorer => {
  const template = prepared.template
  const nodes = template.arch.nodes
  const ctx = template.context
  const n = ctx.einsum.nInstances
  const levels = [...new Set(terms.calls.map((c) => c.level))].sort((a, b) => a - b)
  const callsOfLevel = levels.map((level) => terms.calls.filter((c) => c.level === level))
  // One calls record and one latency function per component, built once and reused for every row.
  const views = levels.map((level): ComponentCalls => ({ component: nodes[level]!.name, level, calls: new Map(), maxHops: 0, maxLinkTraffic: 0 }))
  const latencyOf = levels.map((level) => latencyOfCalls(nodes[level]!, prepared.scope))
  return (tiles, offset) => {
    let latency = 0
    levels.forEach((level, i) => {
      const view = views[i]!
      for (const c of callsOfLevel[i]!) view.calls.set(c.action, c.calls.evaluate(tiles, offset))
      latency = Math.max(latency, latencyOf[i]!(view))
    })
    const leak = leakEnergy(ctx, prepared.archNodes, latency).reduce((s, e) => s + e.value, 0) * n
    const dynamicEnergy = terms.energy.evaluate(tiles, offset)
    const bitsPerLevel = new Float64Array(nodes.length)
    const reservations = terms.reservations.map((r) => {
      const bits = r.bits.evaluate(tiles, offset)
      bitsPerLevel[r.level]! += bits
      return { component: r.component, level: r.level, tensor: r.tensor, bits, loopsAbove: r.loopsAbove, persistent: r.persistent, backing: r.backing }
    })
    return { energy: dynamicEnergy + leak, dynamicEnergy, leakEnergy: leak, latency: latency * n, bitsPerLevel, reservations }
  }
}
