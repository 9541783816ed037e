/**
 * A template's symbolic analysis (cost-terms.ts), used only as far as it reproduces the
 * numeric model: its terms and its reservations are checked against the model on a few tile
 * rows spread over the template's space (valid or not, the formulas must agree). A template
 * whose terms are not polynomials, or disagree, is scored row by row by the model; one whose
 * reservations are not, or disagree, is enumerated without the capacity check.
 */
import { costTermsOf, type EinsumAnalysisResult } from "@effect-accelforge/model"
import { analyzeTemplate, type PreparedTemplate } from "../evaluate/evaluate-row.ts"
import type { LoopSlot } from "../template/template.ts"
import { analyzeSymbolically, type TemplateAnalysis, type TemplateTerms } from "./cost-terms.ts"
import { reservationsCheck, reservationsHold, termsCheck, termsHold } from "./terms-check.ts"
import { divisors } from "./divisor-chains.ts"
import { memoVerdict } from "./verified-analysis-cache.ts"

const SAMPLE_ROWS = 4

/**
 * Deterministic rows of divisor chains (innermost tile 1), picked by a small linear congruential
 * sequence. A row drawn twice is kept once: the model and the formulas give it the same answer
 * both times (small spaces draw repeats often).
 */
export const drawRows = (variables: ReadonlyArray<string>, bounds: ReadonlyMap<string, number>): Array<Float64Array> => {
  let state = 12345
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648)
  // Per position: its variable's number (first-seen order), and whether it is the variable's innermost (last) loop.
  // Plain loops, no callback per position: this runs per template sequence, cold.
  const n = variables.length
  const variableOf = new Int32Array(n)
  const innermost = new Uint8Array(n)
  const distinct: Array<string> = []
  for (let i = 0; i < n; i++) {
    let v = distinct.indexOf(variables[i]!)
    if (v < 0) v = distinct.push(variables[i]!) - 1
    variableOf[i] = v
    innermost[i] = variables.lastIndexOf(variables[i]!) === i ? 1 : 0
  }
  const outer = new Float64Array(distinct.length)
  const drawn: Array<Float64Array> = []
  for (let r = 0; r < SAMPLE_ROWS; r++) {
    for (let v = 0; v < distinct.length; v++) outer[v] = bounds.get(distinct[v]!)!
    const row = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      if (innermost[i] === 1) {
        row[i] = 1
        continue
      }
      const options = divisors(outer[variableOf[i]!]!)
      const tile = options[next() % options.length]!
      outer[variableOf[i]!] = tile
      row[i] = tile
    }
    if (!drawn.some((other) => other.every((t, k) => t === row[k]))) drawn.push(row)
  }
  return drawn
}

/**
 * The rows drawn for each sequence of loop rank variables, per Einsum's bounds: they depend on
 * nothing else, and an Einsum's templates share few sequences (eyeriss gpt3_6.7B prefill: 429
 * templates). Read only by the checks.
 */
const drawnRows = new WeakMap<ReadonlyMap<string, number>, Map<string, ReadonlyArray<Float64Array>>>()

const sampleRows = (loops: ReadonlyArray<LoopSlot>, bounds: ReadonlyMap<string, number>): ReadonlyArray<Float64Array> => {
  let bySequence = drawnRows.get(bounds)
  if (bySequence === undefined) drawnRows.set(bounds, bySequence = new Map())
  const variables = loops.map((l) => l.rankVariable)
  const key = JSON.stringify(variables)
  let rows = bySequence.get(key)
  if (rows === undefined) bySequence.set(key, rows = drawRows(variables, bounds))
  return rows
}

/** The model's analysis of each sample row, made once and shared by both checks (a refused row rethrows its error). */
const rowAnalyses = (prepared: PreparedTemplate, rows: ReadonlyArray<Float64Array>): (i: number) => EinsumAnalysisResult<number> => {
  const made: Array<{ readonly ok: true; readonly value: EinsumAnalysisResult<number> } | { readonly ok: false; readonly error: unknown }> = []
  return (i) => {
    if (made[i] === undefined) {
      try {
        // A plain array, as the model's own rows are (its `tileShape`s): the analysis's code sees one kind of tile list.
        made[i] = { ok: true, value: analyzeTemplate(prepared, Array.from(rows[i]!)) }
      } catch (error) {
        made[i] = { ok: false, error }
      }
    }
    const m = made[i]!
    if (!m.ok) throw m.error
    return m.value
  }
}

export interface VerifiedAnalysis {
  readonly analysis: TemplateAnalysis
  /** The cost terms, when they are polynomials and reproduce the model (else rows are scored by the model). */
  readonly terms: TemplateTerms | undefined
  /** Reservations usable for the capacity check during enumeration. */
  readonly reservations: TemplateAnalysis["reservations"]
}

/** Whether `check` holds on every sample row the model accepts (and on at least one). */
const holdsOnSamples = (rows: ReadonlyArray<Float64Array>, check: (row: Float64Array, i: number) => boolean): boolean => {
  let checked = 0
  for (const [i, row] of rows.entries()) {
    try {
      if (!check(row, i)) return false
      checked++
    } catch {
      // The model refuses some rows outright (e.g. an invalid spatial order); they say nothing about the formulas.
    }
  }
  return checked > 0
}

const checkTerms = (terms: TemplateTerms, prepared: PreparedTemplate, rows: ReadonlyArray<Float64Array>, analyzed: (i: number) => EinsumAnalysisResult<number>) => {
  const check = termsCheck(terms.terms)
  return holdsOnSamples(rows, (row, i) => termsHold(check, costTermsOf(analyzed(i), prepared.deferrable), row, 0))
}

const checkReservations = (
  reservations: NonNullable<TemplateAnalysis["reservations"]>,
  rows: ReadonlyArray<Float64Array>,
  analyzed: (i: number) => EinsumAnalysisResult<number>
) => {
  const check = reservationsCheck(reservations)
  return holdsOnSamples(rows, (row, i) => reservationsHold(check, costTermsOf(analyzed(i)).reservations, row, 0))
}

/** The sample-row checks' outcome: whether the terms, and the reservations, reproduce the model. */
interface Verdict {
  readonly termsOk: boolean
  readonly reservationsOk: boolean
}

const verdictOf = (prepared: PreparedTemplate, bounds: ReadonlyMap<string, number>, analysis: TemplateAnalysis, terms: TemplateTerms | undefined): Verdict => {
  const template = prepared.template
  const rows = sampleRows(template.loopPositions.map((p) => template.nodes[p] as LoopSlot), bounds)
  const analyzed = rowAnalyses(prepared, rows)
  const termsOk = terms !== undefined && checkTerms(terms, prepared, rows, analyzed)
  const reservations = analysis.reservations
  return { termsOk, reservationsOk: reservations !== undefined && (termsOk || checkReservations(reservations, rows, analyzed)) }
}

/**
 * The template's analysis, its terms and reservations kept where they reproduce the model. The
 * analysis is made every time (it is what the search holds on to), the checks once per content
 * (verified-analysis-cache.ts): they compare the same deterministic computations on the same rows.
 */
export const verifiedAnalysis = (prepared: PreparedTemplate, bounds: ReadonlyMap<string, number>, withTerms = true): VerifiedAnalysis => {
  const analysis = analyzeSymbolically(prepared)
  const terms = withTerms && "terms" in analysis.terms ? analysis.terms : undefined
  const verdict = memoVerdict(prepared.template, prepared.deferrable, bounds, withTerms, () => verdictOf(prepared, bounds, analysis, terms))
  return { analysis, terms: verdict.termsOk ? terms : undefined, reservations: verdict.reservationsOk ? analysis.reservations : undefined }
}
