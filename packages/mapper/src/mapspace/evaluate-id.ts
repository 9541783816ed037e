/**
 * From a mapping id to a status and costs: decode it, check the rules that need no model
 * (loop counts, fanout, loop bounds, min_usage, then occupancy, as Timeloop checks a mapping's
 * construction before its pre-evaluation), then let the model score it and check capacity as
 * the model reserves it. In diagnostics mode every rule is checked and each failing one is
 * counted, with an example of each; otherwise the first failing rule is counted.
 */
import type { EinsumMapspace, MappingId } from "./einsum-mapspace.ts"
import { MappingScorer, type MappingScore } from "./score-mapping.ts"
import {
  checkFanout, checkLoopBounds, checkLoopCounts, checkMinUsage, checkModelCapacity, checkOccupancy, explain, Rule, RULE_NAMES, rowCounts
} from "./validity.ts"

export interface Diagnostics {
  /** Invalid mappings per rule (index = rule code; 0 unused). */
  readonly counts: Float64Array
  /** One example per rule: the failing mapping's template and the reason. */
  readonly examples: Array<{ readonly rule: string; readonly template: number; readonly reason: string } | undefined>
}

export const emptyDiagnostics = (): Diagnostics => ({ counts: new Float64Array(RULE_NAMES.length), examples: RULE_NAMES.map(() => undefined) })

export class IdEvaluator {
  readonly mapspace: EinsumMapspace
  readonly diagnostics: Diagnostics = emptyDiagnostics()
  private readonly scorer: MappingScorer
  private readonly all: boolean
  /** The last valid mapping's model numbers. */
  score: MappingScore | undefined

  constructor(mapspace: EinsumMapspace, diagnostics: boolean) {
    this.mapspace = mapspace
    this.scorer = new MappingScorer(mapspace.loaded, mapspace.composition)
    this.all = diagnostics
  }

  /** The first rule the mapping breaks (Rule.valid when none; then `score` holds its numbers). */
  evaluate(id: MappingId): Rule {
    const { template, tiles } = this.mapspace.decode(id)
    const rules = this.mapspace.rules(template)
    // Thresholds first: their search reuses the rules' scratch arrays, `counts` among them.
    const thresholds = this.mapspace.thresholds(template)
    const counts = rowCounts(rules, tiles, 0, rules.variables.length - 1)
    this.first = Rule.valid
    if (
      this.failed(checkLoopCounts(rules, counts), template, tiles) || this.failed(checkFanout(rules, counts), template, tiles) ||
      this.failed(checkLoopBounds(rules.template, counts), template, tiles) ||
      this.failed(thresholds.empty ? Rule.minUsage : checkMinUsage(rules, counts, thresholds.thresholds), template, tiles) ||
      this.failed(checkOccupancy(rules, tiles, 0), template, tiles) || this.first !== Rule.valid
    ) return this.first
    const score = this.scorer.score(rules.template, tiles)
    const fits = checkModelCapacity(rules, score.bitsPerLevel)
    if (fits !== Rule.valid) {
      this.failed(fits, template, tiles)
      return fits
    }
    this.score = score
    return Rule.valid
  }

  /** The first rule the current mapping breaks so far. */
  private first: Rule = Rule.valid

  /** Note a failing rule; true when the evaluation stops here (not in diagnostics mode). */
  private failed(rule: Rule, template: number, tiles: Int32Array): boolean {
    if (rule === Rule.valid) return false
    if (this.first === Rule.valid) this.first = rule
    this.count(rule, template, tiles)
    return !this.all
  }

  private count(rule: Rule, template: number, tiles: Int32Array): void {
    this.diagnostics.counts[rule]!++
    if (this.all && this.diagnostics.examples[rule] === undefined) {
      const rules = this.mapspace.rules(template)
      const t = this.mapspace.thresholds(template)
      this.diagnostics.examples[rule] = { rule: RULE_NAMES[rule], template, reason: explain(rules, rule, tiles, 0, t.thresholds) }
    }
  }
}
