/**
 * Scoring a tile row from the template's cost terms instead of a full model run: per-unit
 * calls, dynamic energy and reservations are the terms' values at the row (the model's own
 * analysis with symbols, checked against the model per template), each component's latency
 * comes from the model's latency function on those calls, and the composition (model
 * compose/) turns them into the row's columns, exactly as the model does for a mapping. The
 * search scores millions of rows: one score record is refilled per row (read it before the
 * next call); the mapping finally returned is re-evaluated by the model itself.
 *
 * A row can be scored in stages (`StagedScorer`), so the search can drop a row that cannot be
 * Pareto-optimal before paying for all of it: its reservations first (the capacity rule and
 * the reservation columns), then a lower bound of its objectives (the dynamic energy, the
 * latency of one component and of those with columns of their own in the composition's mode,
 * every other component's latency taken as 0), then the rest.
 */
import { type LatencyInputs, latencyOfActions, type Polynomial, type ReservationEntry } from "@effect-accelforge/model"
import { type CompiledPolynomial, compilePolynomial, evaluateWithFactors, fillRowFactors } from "../tiles/compiled-polynomial.ts"
import type { TemplateTerms } from "../tiles/cost-terms.ts"
import { einsumCostsOf, type PreparedTemplate, type RowScore } from "./evaluate-row.ts"

export type RowScorer = (tiles: ArrayLike<number>, offset: number) => RowScore

/**
 * One row's score in three calls on the same row, each after the one before: `reserve`
 * (`score.bitsPerLevel`, `score.reservations`), `bound` (`score.values`: at most the row's
 * values, column by column) and `finish` (`score.values`: the row's values, the numbers
 * `polynomialScorer` gives). `bound` may be skipped.
 */
export interface StagedScorer {
  readonly score: RowScore
  readonly reserve: (tiles: ArrayLike<number>, offset: number) => void
  readonly bound: (tiles: ArrayLike<number>, offset: number) => void
  readonly finish: (tiles: ArrayLike<number>, offset: number) => void
}

export const polynomialScorer = (prepared: PreparedTemplate, derived: TemplateTerms): RowScorer => {
  const staged = stagedPolynomialScorer(prepared, derived)
  return (tiles, offset) => {
    staged.reserve(tiles, offset)
    staged.finish(tiles, offset)
    return staged.score
  }
}

export const stagedPolynomialScorer = (prepared: PreparedTemplate, derived: TemplateTerms): StagedScorer => {
  const nodes = prepared.template.arch.nodes
  const { calls, reservations, dynamicEnergy } = derived.terms
  // One latency closure and one inputs record per component, built once and refilled for every row.
  const latencies = calls.map((c) => latencyOfActions(nodes[c.level]!, prepared.scope))
  const inputs = latencies.map((l): LatencyInputs => ({ nCalls: new Float64Array(l.actions.length), maxHops: 0, maxLinkTraffic: 0 }))
  // Calls of actions the component lacks are not seen by its latency.
  // `forEach`, no entry pair per call: this runs once per template, mostly cold.
  const termsOf = (i: number, terms: ReadonlyMap<string, Polynomial | number>) => {
    const out: Array<{ readonly action: number; readonly p: CompiledPolynomial }> = []
    terms.forEach((p, action) => {
      const at = latencies[i]!.actions.indexOf(action)
      if (at >= 0) out.push({ action: at, p: compilePolynomial(p) })
    })
    return out
  }
  const callTerms = calls.map((c, i) => termsOf(i, c.calls))
  // Calls of actions an overlap mode defers: the critical latency is the latency without them.
  const deferredTerms = calls.map((c, i) => termsOf(i, c.deferred))
  const maxHops = calls.map((c) => compilePolynomial(c.maxHops))
  const maxLinkTraffic = calls.map((c) => compilePolynomial(c.maxLinkTraffic))
  const energy = compilePolynomial(dynamicEnergy)
  const bits = reservations.map((r) => compilePolynomial(r.bits))
  const costs = einsumCostsOf(prepared, calls.map((c) => c.component))
  if (deferredTerms.some((d) => d.length > 0)) costs.criticalLatency = new Float64Array(calls.length)
  const rowReservations = reservations.map((r): { -readonly [K in keyof ReservationEntry]: ReservationEntry[K] } => ({ ...r, bits: 0 }))
  const score: RowScore = { values: new Float64Array(prepared.columns.length), bitsPerLevel: new Float64Array(nodes.length), reservations: rowReservations }
  const width = prepared.template.loopPositions.length
  const factors = new Float64Array(2 * width)
  const evaluateCompiled = (c: CompiledPolynomial, tiles: ArrayLike<number>, offset: number) => evaluateWithFactors(c, factors, tiles, offset)
  const componentLatency = (i: number, tiles: ArrayLike<number>, offset: number): void => {
    const input = inputs[i]!
    const nCalls = input.nCalls
    for (let k = 0; k < nCalls.length; k++) nCalls[k] = 0
    const own = callTerms[i]!
    for (let k = 0; k < own.length; k++) nCalls[own[k]!.action] = evaluateCompiled(own[k]!.p, tiles, offset)
    // A constant (every component but a network's) is its value: no call per row.
    const hops = maxHops[i]!
    const traffic = maxLinkTraffic[i]!
    input.maxHops = hops.coefs.length === 0 ? hops.constant : evaluateCompiled(hops, tiles, offset)
    input.maxLinkTraffic = traffic.coefs.length === 0 ? traffic.constant : evaluateCompiled(traffic, tiles, offset)
    const latency = latencies[i]!.latency
    costs.componentLatency[i] = latency(input)
    if (costs.criticalLatency === costs.componentLatency) return
    const deferred = deferredTerms[i]!
    for (let k = 0; k < deferred.length; k++) nCalls[deferred[k]!.action]! -= evaluateCompiled(deferred[k]!.p, tiles, offset)
    costs.criticalLatency[i] = deferred.length === 0 ? costs.componentLatency[i]! : latency(input)
  }
  // The components `bound` evaluates: those the mode gives columns of their own, and the one that most often set the Einsum's latency so far.
  const own = prepared.composition.ownLatencyColumns?.(calls.map((c) => c.component)) ?? new Uint8Array(calls.length)
  const slowest = new Float64Array(calls.length)
  let bounding = 0
  let bounded = false
  const inBound = (i: number): boolean => i === bounding || own[i] === 1
  return {
    score,
    reserve: (tiles, offset) => {
      fillRowFactors(factors, tiles, offset, width)
      bounded = false
      score.bitsPerLevel.fill(0)
      for (let r = 0; r < bits.length; r++) {
        const b = evaluateCompiled(bits[r]!, tiles, offset)
        rowReservations[r]!.bits = b
        score.bitsPerLevel[rowReservations[r]!.level]! += b
      }
    },
    bound: (tiles, offset) => {
      // Plain loops: a few components, where \`fill\`'s call cost more than the stores (once per row).
      const { componentLatency: all, criticalLatency: critical } = costs
      for (let i = 0; i < all.length; i++) all[i] = 0
      if (critical !== all) for (let i = 0; i < critical.length; i++) critical[i] = 0
      for (let i = 0; i < calls.length; i++) if (inBound(i)) componentLatency(i, tiles, offset)
      costs.dynamicEnergy = evaluateCompiled(energy, tiles, offset)
      prepared.composition.einsumValues(prepared.columns, costs, score.values)
      bounded = true
    },
    finish: (tiles, offset) => {
      for (let i = 0; i < inputs.length; i++) if (!bounded || !inBound(i)) componentLatency(i, tiles, offset)
      if (!bounded) costs.dynamicEnergy = evaluateCompiled(energy, tiles, offset)
      prepared.composition.einsumValues(prepared.columns, costs, score.values)
      let top = 0
      for (let i = 1; i < calls.length; i++) if (costs.componentLatency[i]! > costs.componentLatency[top]!) top = i
      if (calls.length > 0 && ++slowest[top]! > slowest[bounding]!) bounding = top
    }
  }
}
