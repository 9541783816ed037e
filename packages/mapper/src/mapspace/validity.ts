/**
 * Which tile shapes of a template are valid, as pure functions each naming its rule: loop
 * counts (max fused loops, per rank variable, per spatial dimension), fanout, loop bounds,
 * min_usage and capacity. They apply to complete rows and to partial ones (the rank variables
 * after `lastVariable` not chosen yet, their tiles at 1): fanout, loop counts and occupancy only
 * grow as more variables are chosen, so a partial row that fails can never become valid.
 *
 * The functions read typed arrays and a per-template `TemplateRules` with its own scratch
 * arrays: nothing is allocated per row. A failing check returns the rule's code; `explain`
 * turns a code back into a sentence for diagnostics.
 */
import type { EinsumContext, LoadedSpec, MapperConfig } from "@effect-accelforge/core"
import { CAPACITY_FITS, type Composition } from "@effect-accelforge/model"
import { capacityLimits, fitsLimits } from "./capacity-limits.ts"
import { prepareTemplate } from "../evaluate/evaluate-row.ts"
import type { EinsumFacts } from "../template/einsum-facts.ts"
import type { LoopSlot, Template } from "../template/template.ts"
import { type CapacityCheck, capacityCheck } from "../tiles/capacity.ts"
import { evaluateCompiled } from "../tiles/compiled-polynomial.ts"
import { templateLoopCounter } from "../tiles/enumerate-tiles.ts"
import { verifiedAnalysis } from "../tiles/verified-cost-terms.ts"

/** Why a mapping is invalid (0: it is valid). */
export const Rule = { valid: 0, loopCount: 1, fanout: 2, loopBounds: 3, minUsage: 4, capacity: 5 } as const
export type Rule = (typeof Rule)[keyof typeof Rule]
export const RULE_NAMES = ["valid", "loop counts", "fanout", "loop bounds", "min_usage", "capacity"] as const

/** Usage reaching min_usage up to rounding counts as reaching it (as FFM's enumeration does). */
const USAGE_SLACK = 1e-9

export interface SpatialDimension {
  readonly component: string
  readonly dimension: string
  readonly fanout: number
}

export interface MinUsageDimension {
  readonly component: string
  readonly dimension: string
  readonly fanout: number
  readonly minUsage: number
  /** The template's loops on this dimension. */
  readonly loops: Int32Array
  /** Position (in `variables`) of the last rank variable that has a loop here; -1 when none does. */
  readonly completesAfter: number
}

export interface TemplateRules {
  readonly template: Template
  readonly loops: ReadonlyArray<LoopSlot>
  /** The rank variables in the order tile shapes are chosen (FFM's enumeration order). */
  readonly variables: ReadonlyArray<string>
  readonly bounds: ReadonlyMap<string, number>
  /** Per loop, its variable's position in `variables`. */
  readonly variableOfLoop: Int32Array
  /** Per variable, its loops outermost first. */
  readonly loopsOfVariable: ReadonlyArray<Int32Array>
  readonly fused: Uint8Array
  readonly dimensions: ReadonlyArray<SpatialDimension>
  /** Per loop, its spatial dimension in `dimensions`, or -1 (temporal, or a copy's loop that spreads nothing). */
  readonly dimensionOfLoop: Int32Array
  readonly maxFusedLoops: number
  readonly maxFusedLoopsPerRankVariable: number
  readonly maxLoopsPerSpatialDimension: number
  /** Loops of more than one iteration in the whole mapping (`max_loops`, `max_loops_minus_ranks`). */
  readonly maxLoops: number
  readonly minUsage: ReadonlyArray<MinUsageDimension>
  /** The model's reservations as polynomials of the tiles (undefined when they are not: the model's capacity rule then applies after scoring). */
  readonly capacity: CapacityCheck | undefined
  /** Per arch level, the most bits a scored row may hold there (`capacityLimits`). */
  readonly limits: Float64Array
  /** Loop counts of a row (`countsOf(tiles, offset, out)`). */
  readonly countsOf: (tiles: ArrayLike<number>, offset: number, out?: Float64Array<ArrayBuffer>) => Float64Array
  // Scratch, reused by every check.
  readonly counts: Float64Array<ArrayBuffer>
  readonly perVariable: Int32Array
  readonly used: Float64Array
  readonly dimensionLoops: Int32Array
  readonly held: Float64Array
}

const spatialDimensions = (template: Template): Array<SpatialDimension> => {
  const out: Array<SpatialDimension> = []
  for (const c of template.arch.nodes) for (const s of c.spatial) if (s.fanout > 1) out.push({ component: c.name, dimension: s.name, fanout: s.fanout })
  return out
}

/**
 * The rules of one template. Which spatial loops use instances and what each memory reserves
 * come from the model's own analysis of the template (with one symbol per loop, as FFM's
 * enumeration reads them: tiles/verified-cost-terms.ts), so the two agree.
 */
export const templateRules = (
  template: Template, ctx: EinsumContext, facts: EinsumFacts, config: MapperConfig, loaded: LoadedSpec, composition: Composition
): TemplateRules => {
  const loops = template.loopPositions.map((p) => template.nodes[p] as LoopSlot)
  const variables = facts.rankVariables
  const dimensions = spatialDimensions(template)
  const prepared = prepareTemplate(template, loaded, composition, composition.columns(config.metrics))
  const verified = verifiedAnalysis(prepared, ctx.einsum.bounds, false)
  const variableOfLoop = Int32Array.from(loops, (l) => variables.indexOf(l.rankVariable))
  const minUsage = template.minUsage.map((m): MinUsageDimension => {
    const own = loops.flatMap((l, i) => (l.spatial && l.component === m.component && l.dimension === m.dimension ? [i] : []))
    return { ...m, loops: Int32Array.from(own), completesAfter: own.length === 0 ? -1 : Math.max(...own.map((i) => variableOfLoop[i]!)) }
  })
  const capacity = verified.reservations === undefined ? undefined : capacityCheck(template, verified.reservations)
  return {
    template,
    loops,
    variables,
    bounds: ctx.einsum.bounds,
    variableOfLoop,
    loopsOfVariable: variables.map((v) => Int32Array.from(loops.flatMap((l, i) => (l.rankVariable === v ? [i] : [])))),
    fused: Uint8Array.from(loops, (l) => (l.fused ? 1 : 0)),
    dimensions,
    dimensionOfLoop: Int32Array.from(loops, (l, i) =>
      l.spatial && verified.analysis.usesInstances[i] === true ? dimensions.findIndex((d) => d.component === l.component && d.dimension === l.dimension) : -1
    ),
    maxFusedLoops: config.max_fused_loops,
    maxFusedLoopsPerRankVariable: config.max_fused_loops_per_rank_variable,
    maxLoopsPerSpatialDimension: config.max_loops_per_spatial_dimension,
    maxLoops: Math.min(config.max_loops, variables.length + config.max_loops_minus_ranks),
    minUsage,
    capacity,
    countsOf: templateLoopCounter(template, ctx.einsum.bounds),
    counts: new Float64Array(loops.length),
    perVariable: new Int32Array(variables.length),
    used: new Float64Array(dimensions.length),
    dimensionLoops: new Int32Array(dimensions.length),
    held: new Float64Array(capacity?.memories.length ?? 0),
    limits: capacityLimits(template)
  }
}

/**
 * Loop counts of a row into `rules.counts`, with the loops of variables after `lastVariable`
 * (not chosen yet) at one iteration: an unchosen loop is not a loop yet.
 */
export const rowCounts = (rules: TemplateRules, tiles: ArrayLike<number>, offset: number, lastVariable: number): Float64Array => {
  const counts = rules.countsOf(tiles, offset, rules.counts)
  for (let i = 0; i < counts.length; i++) if (rules.variableOfLoop[i]! > lastVariable) counts[i] = 1
  return counts
}

/** Loops of more than one iteration within `max_loops`, fused ones within `max_fused_loops` and `max_fused_loops_per_rank_variable`. */
export const checkLoopCounts = (rules: TemplateRules, counts: ArrayLike<number>): Rule => {
  rules.perVariable.fill(0)
  let fused = 0
  let all = 0
  for (let i = 0; i < counts.length; i++) {
    if (counts[i]! <= 1) continue
    all++
    if (rules.fused[i] === 0) continue
    fused++
    const v = rules.variableOfLoop[i]!
    if (v >= 0) rules.perVariable[v]!++
  }
  if (fused > rules.maxFusedLoops || all > rules.maxLoops) return Rule.loopCount
  for (let v = 0; v < rules.perVariable.length; v++) if (rules.perVariable[v]! > rules.maxFusedLoopsPerRankVariable) return Rule.loopCount
  return Rule.valid
}

/** Every spatial dimension's loops use at most its fanout, with at most `max_loops_per_spatial_dimension` loops. */
export const checkFanout = (rules: TemplateRules, counts: ArrayLike<number>): Rule => {
  rules.used.fill(1)
  rules.dimensionLoops.fill(0)
  for (let i = 0; i < counts.length; i++) {
    const d = rules.dimensionOfLoop[i]!
    if (d < 0 || counts[i]! <= 1) continue
    rules.used[d]! *= counts[i]!
    rules.dimensionLoops[d]!++
  }
  for (let d = 0; d < rules.dimensions.length; d++) {
    if (rules.used[d]! > rules.dimensions[d]!.fanout) return Rule.fanout
    if (rules.dimensionLoops[d]! > rules.maxLoopsPerSpatialDimension) return Rule.loopCount
  }
  return Rule.valid
}

const compare = (operator: string, v: number, bound: number): boolean =>
  operator === "==" ? v === bound
  : operator === "<=" ? v <= bound
  : operator === ">=" ? v >= bound
  : operator === "<" ? v < bound
  : operator === ">" ? v > bound
  : true

/** The template's `loop_bounds` on its spatial loops (checked on complete rows only: `==` and `>=` are not monotone). */
export const checkLoopBounds = (template: Template, counts: ArrayLike<number>): Rule => {
  for (const b of template.loopBounds) {
    if (b.product) {
      let p = 1
      for (const l of b.loops) p *= counts[l]!
      if (!compare(b.operator, p, b.value)) return Rule.loopBounds
    } else {
      for (const l of b.loops) if (!compare(b.operator, counts[l]!, b.value)) return Rule.loopBounds
    }
  }
  return Rule.valid
}

/** Instances used on min-usage dimension `d`, as a fraction of its fanout. */
export const dimensionUsage = (rules: TemplateRules, counts: ArrayLike<number>, d: number): number => {
  const m = rules.minUsage[d]!
  let used = 1
  for (const l of m.loops) used *= counts[l]!
  return used / m.fanout
}

/** Whether `usage` passes a min-usage threshold (the dimension's `min_usage`, or the best its template reaches). */
export const reachesUsage = (usage: number, threshold: number, minUsage: number): boolean =>
  threshold >= minUsage ? usage >= minUsage - USAGE_SLACK : usage >= threshold

/**
 * min_usage against the template's thresholds (`min-usage-threshold.ts`): the dimension's own
 * `min_usage` when some row of the template reaches it, else the best usage any row reaches
 * (AccelForge's "best effort").
 */
export const checkMinUsage = (rules: TemplateRules, counts: ArrayLike<number>, thresholds: Float64Array): Rule => {
  for (let d = 0; d < rules.minUsage.length; d++) {
    if (!reachesUsage(dimensionUsage(rules, counts, d), thresholds[d]!, rules.minUsage[d]!.minUsage)) return Rule.minUsage
  }
  return Rule.valid
}

/**
 * Every bounded memory holds its slots' tiles at once (the occupancy FFM's enumeration checks,
 * with tiles not chosen yet at 1). Per-memory bits are left in `rules.held`.
 */
export const checkOccupancy = (rules: TemplateRules, tiles: ArrayLike<number>, offset: number): Rule => {
  const c = rules.capacity
  if (c === undefined || c.memories.length === 0) return Rule.valid
  rules.held.fill(0)
  for (const r of c.reservations) rules.held[r.memory]! += evaluateCompiled(r.bits, tiles, offset)
  for (let m = 0; m < rules.held.length; m++) if (rules.held[m]! > c.memories[m]!.size * CAPACITY_FITS) return Rule.capacity
  return Rule.valid
}

/** The model's own capacity rule on a scored row (capacity-limits.ts): every bounded memory holds what its reservations take. */
export const checkModelCapacity = (rules: TemplateRules, bitsPerLevel: ArrayLike<number>): Rule =>
  fitsLimits(rules.limits, bitsPerLevel) ? Rule.valid : Rule.capacity

/**
 * The checks that hold for partial rows too, in the order enumeration applies them: loop
 * counts, fanout, occupancy. `tiles` has the unchosen variables' tiles at 1.
 */
export const checkPartialRow = (rules: TemplateRules, tiles: ArrayLike<number>, offset: number, lastVariable: number): Rule => {
  const counts = rowCounts(rules, tiles, offset, lastVariable)
  return checkLoopCounts(rules, counts) || checkFanout(rules, counts) || checkOccupancy(rules, tiles, offset)
}

/** A sentence naming what a failing rule found on a complete row (for diagnostics; allocates). */
export const explain = (rules: TemplateRules, rule: Rule, tiles: ArrayLike<number>, offset: number, thresholds?: Float64Array): string => {
  const counts = rowCounts(rules, tiles, offset, rules.variables.length - 1)
  switch (rule) {
    case Rule.valid: return "valid"
    case Rule.loopCount: {
      const fused = rules.loops.filter((l, i) => l.fused && counts[i]! > 1).length
      if (fused > rules.maxFusedLoops) return `${fused} fused loops, max_fused_loops is ${rules.maxFusedLoops}`
      const all = rules.loops.filter((_, i) => counts[i]! > 1).length
      if (all > rules.maxLoops) return `${all} loops of more than one iteration, at most ${rules.maxLoops} (max_loops, max_loops_minus_ranks)`
      checkFanout(rules, counts)
      const d = rules.dimensions.findIndex((_, k) => rules.dimensionLoops[k]! > rules.maxLoopsPerSpatialDimension)
      if (d >= 0) return `${rules.dimensionLoops[d]} loops on ${rules.dimensions[d]!.component}.${rules.dimensions[d]!.dimension}, max_loops_per_spatial_dimension is ${rules.maxLoopsPerSpatialDimension}`
      return `more than ${rules.maxFusedLoopsPerRankVariable} fused loop(s) over one rank variable (max_fused_loops_per_rank_variable)`
    }
    case Rule.fanout: {
      checkFanout(rules, counts)
      const d = rules.dimensions.findIndex((dim, k) => rules.used[k]! > dim.fanout)
      return `${rules.used[d]} instances of ${rules.dimensions[d]!.component}.${rules.dimensions[d]!.dimension}, fanout ${rules.dimensions[d]!.fanout}`
    }
    case Rule.loopBounds: {
      const b = rules.template.loopBounds.find((x) => checkLoopBounds({ ...rules.template, loopBounds: [x] }, counts) !== Rule.valid)!
      const loops = b.loops.map((l) => `${rules.loops[l]!.rankVariable} x${counts[l]}`).join(", ")
      return `loop_bounds ${b.product ? "product " : ""}${b.operator} ${b.value} not met by ${loops}`
    }
    case Rule.minUsage: {
      const d = rules.minUsage.findIndex((m, k) => !reachesUsage(dimensionUsage(rules, counts, k), thresholds?.[k] ?? m.minUsage, m.minUsage))
      // Every row passes each threshold, yet the rule failed: the template has no threshold at all.
      if (d < 0) return "no row of this template is valid up to its min_usage dimensions, so none is kept for min_usage"
      const m = rules.minUsage[d]!
      return `${m.component}.${m.dimension} used ${dimensionUsage(rules, counts, d)}, below min_usage ${m.minUsage}${(thresholds?.[d] ?? m.minUsage) < m.minUsage ? ` (best effort: ${thresholds![d]})` : ""}`
    }
    case Rule.capacity: {
      checkOccupancy(rules, tiles, offset)
      const memories = rules.capacity?.memories ?? []
      const m = memories.findIndex((mem, k) => rules.held[k]! > mem.size * CAPACITY_FITS)
      return m < 0 ? "over capacity as the model reserves it" : `${rules.template.arch.nodes[memories[m]!.level]!.name} holds ${rules.held[m]} bits, size ${memories[m]!.size}`
    }
  }
}
