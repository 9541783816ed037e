/**
 * Scoring a tile row from the template's cost terms instead of a full model run: per-unit
 * calls, dynamic energy and reservations are the terms' values at the row (the model's own
 * analysis with symbols, checked against the model per template), each component's latency
 * comes from the model's latency function on those calls, and the composition (model
 * compose/) turns them into the row's columns, exactly as the model does for a mapping. The
 * search scores millions of rows: one score record is refilled per row (read it before the
 * next call); the mapping finally returned is re-evaluated by the model itself.
 */
import { type ComponentCalls, latencyOfCalls, type ReservationEntry } from "@effect-accelforge/model"
import { compilePolynomial, evaluateCompiled } from "../tiles/compiled-polynomial.ts"
import type { TemplateTerms } from "../tiles/cost-terms.ts"
import { einsumCostsOf, type PreparedTemplate, type RowScore } from "./evaluate-row.ts"

export type RowScorer = (tiles: ArrayLike<number>, offset: number) => RowScore

export const polynomialScorer = (prepared: PreparedTemplate, derived: TemplateTerms): RowScorer => {
  const nodes = prepared.template.arch.nodes
  const { calls, reservations, dynamicEnergy } = derived.terms
  // One calls record and one latency function per component, built once and refilled for every row.
  const views = calls.map((c): ComponentCalls => ({ component: c.component, level: c.level, calls: new Map(), deferred: new Map(), maxHops: 0, maxLinkTraffic: 0 }))
  const callTerms = calls.map((c) => [...c.calls].map(([action, p]) => ({ action, p: compilePolynomial(p) })))
  // Calls an overlap mode defers: the critical latency is the latency without them.
  const deferredTerms = calls.map((c) => [...c.deferred].map(([action, p]) => ({ action, p: compilePolynomial(p) })))
  const maxHops = calls.map((c) => compilePolynomial(c.maxHops))
  const maxLinkTraffic = calls.map((c) => compilePolynomial(c.maxLinkTraffic))
  const latencyOf = calls.map((c) => latencyOfCalls(nodes[c.level]!, prepared.scope))
  const energy = compilePolynomial(dynamicEnergy)
  const bits = reservations.map((r) => compilePolynomial(r.bits))
  const costs = einsumCostsOf(prepared, calls.map((c) => c.component))
  if (deferredTerms.some((d) => d.length > 0)) costs.criticalLatency = new Float64Array(calls.length)
  const rowReservations = reservations.map((r): { -readonly [K in keyof ReservationEntry]: ReservationEntry[K] } => ({ ...r, bits: 0 }))
  const score: RowScore = { values: new Float64Array(prepared.columns.length), bitsPerLevel: new Float64Array(nodes.length), reservations: rowReservations }
  return (tiles, offset) => {
    for (let i = 0; i < views.length; i++) {
      const view = views[i]!
      for (const t of callTerms[i]!) view.calls.set(t.action, evaluateCompiled(t.p, tiles, offset))
      view.maxHops = evaluateCompiled(maxHops[i]!, tiles, offset)
      view.maxLinkTraffic = evaluateCompiled(maxLinkTraffic[i]!, tiles, offset)
      costs.componentLatency[i] = latencyOf[i]!(view)
      if (costs.criticalLatency === costs.componentLatency) continue
      for (const d of deferredTerms[i]!) view.calls.set(d.action, view.calls.get(d.action)! - evaluateCompiled(d.p, tiles, offset))
      costs.criticalLatency[i] = deferredTerms[i]!.length === 0 ? costs.componentLatency[i]! : latencyOf[i]!(view)
    }
    costs.dynamicEnergy = evaluateCompiled(energy, tiles, offset)
    prepared.composition.einsumValues(prepared.columns, costs, score.values)
    score.bitsPerLevel.fill(0)
    for (let r = 0; r < bits.length; r++) {
      const b = evaluateCompiled(bits[r]!, tiles, offset)
      rowReservations[r]!.bits = b
      score.bitsPerLevel[rowReservations[r]!.level]! += b
    }
    return score
  }
}
