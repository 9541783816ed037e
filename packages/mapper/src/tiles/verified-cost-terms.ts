/**
 * A template's cost polynomials, only when they reproduce the numeric model: they are checked
 * against `analyzeEinsum` on a few tile rows spread over the template's space (valid or not,
 * the formulas must agree). A template the polynomials do not cover, or where they disagree,
 * is enumerated with validity pruning only and every row is scored by the model.
 */
import type { PreparedTemplate } from "../evaluate/evaluate-row.ts"
import type { LoopSlot } from "../template/template.ts"
import { type CostTerms, costTerms, verifyCostTerms } from "./cost-terms.ts"
import { divisors } from "./divisor-chains.ts"

const SAMPLE_ROWS = 4

/** Deterministic rows of divisor chains (innermost tile 1), picked by a small linear congruential sequence. */
const sampleRows = (loops: ReadonlyArray<LoopSlot>, bounds: ReadonlyMap<string, number>): Array<Float64Array> => {
  let state = 12345
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648)
  const innermost = new Map<string, number>()
  loops.forEach((l, i) => innermost.set(l.rankVariable, i))
  return Array.from({ length: SAMPLE_ROWS }, () => {
    const outer = new Map(bounds)
    return Float64Array.from(loops, (l, i) => {
      if (innermost.get(l.rankVariable) === i) return 1
      const options = divisors(outer.get(l.rankVariable)!)
      const tile = options[next() % options.length]!
      outer.set(l.rankVariable, tile)
      return tile
    })
  })
}

export const verifiedCostTerms = (prepared: PreparedTemplate, bounds: ReadonlyMap<string, number>): CostTerms | undefined => {
  const terms = costTerms(prepared)
  if (terms === undefined) return undefined
  const template = prepared.template
  const loops = template.loopPositions.map((p) => template.nodes[p] as LoopSlot)
  let checked = 0
  for (const row of sampleRows(loops, bounds)) {
    try {
      if (!verifyCostTerms(terms, prepared, row, 0)) return undefined
      checked++
    } catch {
      // The model refuses some rows outright (e.g. an invalid spatial order); they say nothing about the formulas.
    }
  }
  return checked === 0 ? undefined : terms
}
