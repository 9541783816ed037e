/**
 * The per-Einsum search (FFM §2-3): templates for every enabled compute unit, tile shapes
 * enumerated and checked per template, every valid row scored by the model, min-usage applied
 * per template, and the survivors Pareto-pruned per compatibility.
 *
 * Pure and synchronous: Effect wraps it at the service boundary; workers call it directly.
 */
import type { EinsumContext, LoadedSpec, MapperConfig } from "@effect-accelforge/core"
import { type Composition, type ReservationEntry, SEQUENTIAL } from "@effect-accelforge/model"
import { type Compatibility, compatibilityDepth, compatibilityPlan } from "../compatibility/compatibility.ts"
import { capacityLimits, fitsLimits } from "../mapspace/capacity-limits.ts"
import { CompatibilityInterner } from "../compatibility/compatibility-interner.ts"
import { prepareTemplate, type RowScore, scoreRow } from "../evaluate/evaluate-row.ts"
import { isExactFront, paretoFront } from "../pareto/index.ts"
import type { PruneFunction } from "../service/pareto-pruner.ts"
import { type EinsumFacts, einsumFacts } from "../template/einsum-facts.ts"
import { templatesFor } from "../template/make-templates.ts"
import type { LoopSlot, Template } from "../template/template.ts"
import { enumerateTiles, templateLoopCounter, TileRowSpace, type TileRows } from "../tiles/enumerate-tiles.ts"
import { capacityCheck } from "../tiles/capacity.ts"
import { verifiedAnalysis } from "../tiles/verified-cost-terms.ts"
import { partialPruner } from "../tiles/partial-pruning.ts"
import { polynomialScorer, type StagedScorer, stagedPolynomialScorer } from "../evaluate/polynomial-score.ts"
import { DominanceCache } from "./dominance-cache.ts"
import { GroupAccumulator, type GroupBuilder, type GroupLayout } from "./group-accumulator.ts"
import { GrowableF64 } from "./growable-array.ts"
import { type Budget, checkBudget, templateBudget } from "./limits.ts"
import { usesResourceObjective } from "./objectives.ts"
import { paretoWidth, type PmappingTable, reservationColumn, tensorSizeColumn } from "./pmapping-table.ts"
import { packedMap } from "../pareto/packed-map.ts"
import { stableArgsort } from "../pareto/argsort.ts"

/** Scored rows between two in-place prunes of the groups inside one template (minus one, a mask). */
const SETTLE_EVERY = (1 << 18) - 1

export interface GenerateOptions {
  readonly loaded: LoadedSpec
  readonly config: MapperConfig
  /** Tensors two or more Einsums use. */
  readonly fusable: ReadonlySet<string>
  /** The Einsum's templates when already built (`einsumTemplates` with the same facts and config). */
  readonly templates?: ReadonlyArray<Template>
  /** Memories whose usage is carried as a column. */
  readonly tracked: ReadonlyArray<string>
  readonly nEinsums: number
  readonly budget?: Budget
  /** The Pareto pruner (default: the exact columnar front), also for partial tile rows. */
  readonly prune?: PruneFunction
  /** How Einsums compose into totals: which columns a row carries (default: in sequence). */
  readonly composition?: Composition
  /** Prune partial tile rows on the template's cost polynomials (default true; false for ablations and cross-checks). */
  readonly partialPruning?: boolean
  /** Score rows from the template's cost polynomials when they are verified (default true; false scores every row with the model). */
  readonly polynomialScoring?: boolean
  /** Drop rows no better than an earlier row of their group from a lower bound, before their full score (default true; false for cross-checks). */
  readonly scoreBounds?: boolean
  /** Seeding of the bounds (see `seedCaches` and SEEDING; smaller for tests). */
  readonly scoreBoundSeeding?: { readonly atLeast: number; readonly stride: number; readonly perGroup: number }
  /** Prune partial rows only at enumeration steps with at least this many rows (default 256). */
  readonly partialPruningMinRows?: number
  /** Search only templates `from` (inclusive) to `to` (exclusive): a part for `EinsumSearch.addPart`. */
  readonly templateRange?: readonly [number, number]
  /** Where templates' tile rows are enumerated: one space for a thread's every call (see TileRowSpace; default: one per call). */
  readonly rowSpace?: TileRowSpace
  /** Called after each template with (templates done, templates in all). */
  readonly onTemplate?: (done: number, total: number) => void
}

/** All templates of an Einsum, longest first (AccelForge's job order), stable. */
export const einsumTemplates = (ctx: EinsumContext, facts: EinsumFacts, config: MapperConfig): Array<Template> => {
  const out: Array<Template> = []
  for (const arch of ctx.computePaths) {
    if (!arch.enabled) continue
    for (const t of templatesFor(ctx, arch, facts, {
      forceMemoryHierarchyOrder: config.force_memory_hierarchy_order,
      prioritizeReuseOfUnfusedTensors: config.prioritize_reuse_of_unfused_tensors,
      maxFusedLoops: config.max_fused_loops,
      exploreLoopOrders: config.explore_loop_orders,
      maxTemplatesPerEinsum: config.max_pmapping_templates_per_einsum
    })) out.push(t)
  }
  return out.map((t, i) => ({ t, i })).sort((a, b) => b.t.nodes.length - a.t.nodes.length || a.i - b.i).map(({ t }, index) => ({ ...t, index }))
}

const meetsLoopBounds = (template: Template, counts: Float64Array): boolean => {
  for (const b of template.loopBounds) {
    const values = b.product ? [b.loops.reduce((p, l) => p * counts[l]!, 1)] : b.loops.map((l) => counts[l]!)
    for (const v of values) {
      const ok = b.operator === "==" ? v === b.value
        : b.operator === "<=" ? v <= b.value
        : b.operator === ">=" ? v >= b.value
        : b.operator === "<" ? v < b.value
        : b.operator === ">" ? v > b.value
        : true
      if (!ok) return false
    }
  }
  return true
}

/** Positions 0..count-1. */
const everyRow = (count: number): Int32Array => {
  const all = new Int32Array(count)
  for (let r = 0; r < count; r++) all[r] = r
  return all
}

/** The rows (positions) whose loop counts meet the template's loop bounds. */
const rowsWithinLoopBounds = (template: Template, rows: TileRows, countsOf: ReturnType<typeof templateLoopCounter>, scratch: Float64Array<ArrayBuffer>): Int32Array => {
  const passing = new Int32Array(rows.count)
  let n = 0
  for (let r = 0; r < rows.count; r++) if (meetsLoopBounds(template, countsOf(rows.tiles, r * rows.loops, scratch))) passing[n++] = r
  return passing.subarray(0, n)
}

/** The tolerance of the resource columns (memory use): the objectives' when memory use is one. */
const resourceToleranceOf = (config: MapperConfig): number =>
  usesResourceObjective(config.metrics) ? config.objective_tolerance : config.resource_usage_tolerance || config.objective_tolerance

/**
 * Whether an Einsum's fronts may be taken in parts (templates apart, then together) with the
 * same result: exact dominance with the keep-first rule (see GroupAccumulator), so the default
 * pruner without tolerances.
 */
export const exactFronts = (config: MapperConfig, prune: PruneFunction = paretoFront): boolean =>
  isExactFront(prune) && config.objective_tolerance === 0 && resourceToleranceOf(config) === 0

/** Group layouts by fused depth (objective and reservation columns, their tolerances). */
const layoutsOf = (config: MapperConfig, objectives: number, tracked: number, fusable: number, nEinsums: number): (depth: number) => GroupLayout => {
  const resourceTolerance = resourceToleranceOf(config)
  const layouts = new Map<number, GroupLayout>()
  return (depth) => {
    let layout = layouts.get(depth)
    if (layout === undefined) {
      const compared = paretoWidth(objectives, depth, tracked)
      layout = {
        depth,
        width: compared + fusable,
        paretoWidth: compared,
        options: {
          relativeTolerance: Array.from({ length: compared }, (_, c) => (c < objectives ? config.objective_tolerance : resourceTolerance)),
          absoluteTolerance: Array.from({ length: compared }, (_, c) => (c < objectives ? 0 : resourceTolerance / Math.max(1, nEinsums)))
        }
      }
      layouts.set(depth, layout)
    }
    return layout
  }
}

export const generatePmappings = (ctx: EinsumContext, options: GenerateOptions): PmappingTable => {
  const steps = generateSteps(ctx, options)
  let step = steps.next()
  while (step.done !== true) step = steps.next(false)
  return step.value
}

/**
 * `generatePmappings` a template at a time, for a caller that runs other work in between (the
 * in-thread probe): after each template it yields how many of the range it has searched, and
 * given `true` back it stops there, with the table of the templates searched so far (a part for
 * `EinsumSearch.addPart`, as a `templateRange` of them would give).
 */
export function* generateSteps(ctx: EinsumContext, options: GenerateOptions): Generator<number, PmappingTable, boolean | undefined> {
  const search = openEinsumSearch(ctx, options)
  const [from, to] = options.templateRange ?? [0, search.templates.length]
  for (let t = from; t < to; t++) {
    search.searchTemplate(t, options.budget)
    if (yield t + 1 - from) break
  }
  return search.finish()
}

/**
 * One Einsum's search, open: its templates searched one at a time (`searchTemplate`, in any
 * order) and parts of its table searched elsewhere added (`addPart`), all into one set of
 * groups, pruned as they grow as one search of every template in order would prune them
 * (GroupAccumulator), until `finish` gives its table. A thread that searches several of an
 * Einsum's templates as jobs of a queue (parallel/jobs-here.ts) keeps one, so that its templates
 * cost what they cost in one search. `undoable`: a template stopped inside (its budget's probe
 * end) is taken back whole, and the search goes on without it.
 */
export interface EinsumSearch {
  readonly templates: ReadonlyArray<Template>
  /** Searches template t (once per template), within `budget`; reports it to `options.onTemplate`. */
  readonly searchTemplate: (t: number, budget: Budget | undefined) => void
  /** Adds a part's table: its templates, from `from` on, are not searched here. */
  readonly addPart: (part: Omit<PmappingTable, "templates">, from: number) => void
  readonly finish: () => PmappingTable
}

export const openEinsumSearch = (ctx: EinsumContext, options: GenerateOptions, undoable = false): EinsumSearch => {
  const { config, loaded } = options
  const facts = einsumFacts(ctx, options.fusable)
  const templates = options.templates ?? einsumTemplates(ctx, facts, config)
  const composition = options.composition ?? SEQUENTIAL
  const columns = composition.columns(config.metrics)
  const objectives = columns.map((c) => c.name)
  const prune = options.prune ?? paretoFront
  const tracked = options.tracked
  const layoutOf = layoutsOf(config, objectives.length, tracked.length, facts.fusable.size, options.nEinsums)
  // Exact fronts can be taken a template at a time (see GroupAccumulator); a tolerance or another pruner is left to one final prune.
  const accumulator = new GroupAccumulator(prune, exactFronts(config, prune))
  const variables = facts.rankVariables
  const bounds = ctx.einsum.bounds
  // Loops of more than one iteration a pmapping may have (max_loops, and max_loops_minus_ranks over its rank variables).
  const maxLoops = Math.min(config.max_loops, variables.length + config.max_loops_minus_ranks)
  const counters = { total: 0, valid: 0, dropped: 0, evaluated: 0 }
  // One space for every template's tile rows: each template's rows are scored before the next's are enumerated.
  const space = options.rowSpace ?? new TileRowSpace()

  const search = (t: number, searchBudget: Budget | undefined): void => {
    const template = templates[t]!
    checkBudget(searchBudget, `searching Einsum ${ctx.einsum.name} (template ${t + 1} of ${templates.length})`)
    const budget = templateBudget(searchBudget)
    const prepared = prepareTemplate(template, loaded, composition, columns)
    const verified = verifiedAnalysis(prepared, bounds, options.partialPruning !== false || options.polynomialScoring !== false)
    const terms = verified.terms
    const pruner = terms === undefined || options.partialPruning === false
      ? undefined
      : partialPruner(template, terms, bounds, {
        maxLoopsPerSpatialDimension: config.max_loops_per_spatial_dimension,
        maxLoops
      }, prune)
    const polynomial = terms !== undefined && options.polynomialScoring !== false
    // Rows are dropped before their full score only where a bound decides exactly as the final prune would (see DominanceCache).
    const staged = polynomial && options.scoreBounds !== false && boundsAreExact(prepared, config, prune) ? stagedPolynomialScorer(prepared, terms) : undefined
    const scoreOf = !polynomial ? (tiles: ArrayLike<number>, offset: number) => scoreRow(prepared, tiles, offset)
      : staged === undefined ? polynomialScorer(prepared, terms) : () => staged.score
    const capacity = verified.reservations === undefined ? undefined : capacityCheck(template, verified.reservations)
    const rows = enumerateTiles(template, variables, bounds, capacity, verified.analysis.usesInstances, {
      maxFusedLoops: config.max_fused_loops,
      maxFusedLoopsPerRankVariable: config.max_fused_loops_per_rank_variable,
      maxLoops,
      tilingCoarseness: config.tiling_coarseness,
      maxLoopsPerSpatialDimension: config.max_loops_per_spatial_dimension
    }, budget, `enumerating tile shapes of Einsum ${ctx.einsum.name} (template ${t + 1} of ${templates.length})`, pruner, options.partialPruningMinRows, options.polynomialScoring === false || prune !== paretoFront, space)
    const interner = new CompatibilityInterner(compatibilityPlan(template, facts))
    // Per interned compatibility: its group and layout, found once.
    const groupOf: Array<GroupBuilder> = []
    // packedMap: one array kind in the writer's field, or its map is deprecated and `write` deoptimized (packed-map.ts).
    const trackedLevels = packedMap(options.tracked, (name) => template.arch.nodes.findIndex((n) => n.name === name))
    const writer = new RowValuesWriter(template, trackedLevels, objectives.length)
    // Loop bounds need only loop counts: checked first, so the model scores only survivors. One
    // scratch array for the counts: this loop sees every complete tile row. min_usage needs no
    // check here: the enumeration made its best-effort cut of each dimension once the
    // dimension's loops were all chosen, and a row's usage of it does not change after that (loop
    // counts depend on their own variable's tiles alone), so the rows left all reach the usage
    // or all share the best one, and the cut of any subset of them keeps it whole.
    const countsOf = templateLoopCounter(template, bounds)
    const scratch = new Float64Array(template.loopPositions.length)
    const candidates = template.loopBounds.length === 0 ? everyRow(rows.count) : rowsWithinLoopBounds(template, rows, countsOf, scratch)
    // Per interned compatibility: its dominance cache, for this template alone, so a template
    // drops the same rows whichever templates a worker searches with it.
    const cacheOf: Array<DominanceCache> = []
    const cacheFor = (id: number): DominanceCache =>
      cacheOf[id] ?? (cacheOf[id] = new DominanceCache(layoutOf(compatibilityDepth(interner.entry(id).compatibility)).paretoWidth))
    const limits = capacityLimits(template)
    const scoring = { template, limits, tiles: rows.tiles, width: rows.loops, countsOf, scratch, interner, writer, layoutOf }
    if (staged !== undefined) seedCaches(scoring, staged, candidates, cacheFor, options.scoreBoundSeeding ?? SEEDING)
    let kept = 0
    let dropped = 0
    for (let x = 0; x < candidates.length; x++) {
      const row = candidates[x]!
      const offset = row * rows.loops
      const score = scoreOf(rows.tiles, offset)
      if (staged !== undefined) staged.reserve(rows.tiles, offset)
      if (!fitsLimits(limits, score.bitsPerLevel)) continue
      const counts = countsOf(rows.tiles, offset, scratch)
      const id = interner.idOf(counts)
      let group = groupOf[id]
      if (group === undefined) {
        const { compatibility, key } = interner.entry(id)
        group = accumulator.group(key, compatibility, layoutOf(compatibilityDepth(compatibility)), t)
        groupOf[id] = group
      }
      // A cache exactly when scoring is staged: a row whose bound a cached row beats is dropped before its full score.
      const cache = staged === undefined ? undefined : cacheFor(id)
      let beaten = false
      let written = false
      if (cache !== undefined && !cache.empty) {
        staged!.bound(rows.tiles, offset)
        beaten = cache.dominates(writer.write(score, group.layout, group.compatibility, id, counts), x)
        written = true
      }
      if (beaten) {
        accumulator.addDominated(group)
        dropped++
      } else {
        staged?.finish(rows.tiles, offset)
        // Only the objectives change from the bound to the full score.
        const values = written ? writer.rewriteObjectives(score) : writer.write(score, group.layout, group.compatibility, id, counts)
        accumulator.add(group, t, rows.tiles, offset, rows.loops, values)
        cache?.add(values, x)
      }
      if ((++kept & 1023) === 1023) checkBudget(budget, `evaluating tile shapes of Einsum ${ctx.einsum.name} (template ${t + 1} of ${templates.length})`)
      // Within a large template too, so memory follows the fronts (pruning in parts is exact: see
      // GroupAccumulator); not in a template that may be taken back, whose earlier rows must stay.
      if ((kept & SETTLE_EVERY) === 0 && !undoable) accumulator.settle()
    }
    // A template's own time limit is checked once more at its end (a small template never reaches the periodic checks).
    checkBudget(budget, `scoring tile shapes of Einsum ${ctx.einsum.name} (template ${t + 1} of ${templates.length})`)
    // Counted once the template is done: one taken back counts nothing.
    counters.total += rows.total
    counters.evaluated += rows.evaluated
    counters.valid += kept
    counters.dropped += dropped
    accumulator.settle()
    options.onTemplate?.(t + 1, templates.length)
  }

  return {
    templates,
    searchTemplate: (t, budget) => {
      if (!undoable) return search(t, budget)
      accumulator.undoable()
      try {
        search(t, budget)
      } catch (e) {
        accumulator.undo()
        throw e
      }
    },
    addPart: (part, from) => {
      for (const g of part.groups) accumulator.addGroup(accumulator.group(g.key, g.compatibility, layoutOf(g.depth), from), g)
      accumulator.settle()
      counters.total += part.counters.total
      counters.valid += part.counters.valid
      counters.dropped += part.counters.dropped ?? 0
      counters.evaluated += part.counters.evaluated
    },
    finish: () => {
      const groups = accumulator.finish()
      return {
        einsum: ctx.einsum.name,
        templates,
        columns,
        objectives: objectives.length,
        tracked,
        groups,
        counters: {
          einsum: ctx.einsum.name,
          templates: templates.length,
          ...counters,
          paretoOptimal: groups.reduce((s, g) => s + g.rows, 0)
        }
      }
    }
  }
}

/** What scoring a template's rows needs, shared by the seeding pass and the main loop. */
interface TemplateScoring {
  readonly template: Template
  /** Per arch level, the bits it may hold (`capacityLimits`). */
  readonly limits: Float64Array
  readonly tiles: Int32Array
  readonly width: number
  readonly countsOf: ReturnType<typeof templateLoopCounter>
  readonly scratch: Float64Array<ArrayBuffer>
  readonly interner: CompatibilityInterner
  readonly writer: RowValuesWriter
  readonly layoutOf: (depth: number) => GroupLayout
}

/**
 * Templates with fewer candidate rows are not seeded; larger ones sample one row in `stride`
 * and seed at most `perGroup` rows per compatibility (with the cache's size, measured on the
 * GPT-3 prefill cases: more seeds drop more rows, with less and less gain).
 */
const SEEDING = { atLeast: 256, stride: 16, perGroup: 24 }

/**
 * Scores a few promising rows of a template ahead of their turn and caches them as seeds (see
 * DominanceCache): from a sample of the rows, per compatibility, the rows of the smallest bound
 * summed over the columns (each scaled by its largest bound in the sample), skipping a row no
 * smaller anywhere than one already taken, so the seeds spread over the front; and the row of
 * the smallest bound of each objective. Groups are not touched, so their order stays the rows' own.
 */
const seedCaches = (
  s: TemplateScoring,
  staged: StagedScorer,
  candidates: Int32Array,
  cacheFor: (id: number) => DominanceCache,
  seeding: NonNullable<GenerateOptions["scoreBoundSeeding"]>
): void => {
  if (candidates.length < seeding.atLeast) return
  const score = staged.score
  // Per interned compatibility: its sampled rows (positions among the candidates) and their bounds, row after row.
  const sampled: Array<{ readonly width: number; readonly xs: Array<number>; readonly bounds: GrowableF64 }> = []
  for (let x = 0; x < candidates.length; x += seeding.stride) {
    const offset = candidates[x]! * s.width
    staged.reserve(s.tiles, offset)
    if (!fitsLimits(s.limits, score.bitsPerLevel)) continue
    const counts = s.countsOf(s.tiles, offset, s.scratch)
    const id = s.interner.idOf(counts)
    const { compatibility } = s.interner.entry(id)
    const layout = s.layoutOf(compatibilityDepth(compatibility))
    staged.bound(s.tiles, offset)
    const bound = s.writer.write(score, layout, compatibility, id, counts)
    const entry = sampled[id] ?? (sampled[id] = { width: layout.paretoWidth, xs: [], bounds: new GrowableF64() })
    entry.xs.push(x)
    for (let c = 0; c < entry.width; c++) entry.bounds.push(bound[c]!)
  }
  const objectives = score.values.length
  sampled.forEach(({ width, xs, bounds: growable }, id) => {
    const bounds = growable.view()
    const scale = new Float64Array(width)
    for (let e = 0; e < xs.length; e++) for (let c = 0; c < width; c++) scale[c] = Math.max(scale[c]!, bounds[e * width + c]!)
    const summed = new Float64Array(xs.length)
    for (let e = 0; e < xs.length; e++) {
      for (let c = 0; c < width; c++) summed[e]! += scale[c]! > 0 ? bounds[e * width + c]! / scale[c]! : 0
      // An infinite bound makes its column's share nan: such a row ranks last (the argsort takes no nan).
      if (summed[e] !== summed[e]) summed[e] = Infinity
    }
    // Only the columns that vary in the sample can order or separate its rows (an overlap mode's
    // rows carry dozens that a row of one Einsum leaves at 0): the others tie everywhere.
    const varying = Int32Array.from(Array.from({ length: width }, (_, c) => c).filter((c) => {
      for (let at = width + c; at < bounds.length; at += width) if (bounds[at] !== bounds[c]) return true
      return false
    }))
    // The first sampled row of the smallest value of column `c` (the first row when it is constant).
    const best = (c: number): number => {
      let b = 0
      if (varying.includes(c)) for (let e = 1; e < xs.length; e++) if (bounds[e * width + c]! < bounds[b * width + c]!) b = e
      return xs[b]!
    }
    // The sampled rows by their scaled sum, each taken unless a row already taken is at most it everywhere (spread over the front).
    // Ties in sample order (a stable argsort: a radix sort of the sums on large samples, no comparator per pair).
    const ranked = stableArgsort(summed)
    const atMost = (a: number, b: number) => {
      for (let v = 0; v < varying.length; v++) if (bounds[a * width + varying[v]!]! > bounds[b * width + varying[v]!]!) return false
      return true
    }
    const chosen: Array<number> = []
    for (let i = 0; i < ranked.length && chosen.length < seeding.perGroup; i++) {
      if (!chosen.some((a) => atMost(a, ranked[i]!))) chosen.push(ranked[i]!)
    }
    const seeds = new Set([...chosen.map((e) => xs[e]!), ...Array.from({ length: objectives }, (_, c) => best(c))])
    let k = 0
    for (const x of seeds) {
      const offset = candidates[x]! * s.width
      staged.reserve(s.tiles, offset)
      staged.finish(s.tiles, offset)
      const counts = s.countsOf(s.tiles, offset, s.scratch)
      const { compatibility } = s.interner.entry(id)
      cacheFor(id).add(s.writer.write(score, s.layoutOf(compatibilityDepth(compatibility)), compatibility, id, counts), x, k++)
    }
  })
}

/**
 * Whether a row may be dropped when a lower bound of its columns is no better than an earlier
 * row of its group: under exact fronts (keep-first ties), in every overlap mode. The bound is
 * the composition's own `einsumValues` on the row's dynamic energy and some of its components'
 * latencies, the others taken as 0 (see StagedScorer), and every column of every mode is
 * non-decreasing in each component's latency (model compose/composition.ts): in sequence the
 * Einsum's latency is the slowest component's and its leak energy leak power, never negative,
 * times it; in `writeback` and `pipeline` the columns are critical and total busy times times
 * the instances (slowest critical one, or one per component) and the leak power, constant
 * over the template. So the bound is at most the row's value in every column.
 */
const boundsAreExact = (prepared: ReturnType<typeof prepareTemplate>, config: MapperConfig, prune: PruneFunction): boolean =>
  exactFronts(config, prune) && prepared.leakPower.every((p) => p >= 0) && prepared.template.context.einsum.nInstances >= 0

/** Per tensor of a compatibility: the reservation whose bits make its size column (-1: none), and the size they are a share of. */
interface TensorSizePlan {
  readonly reservation: Int32Array
  readonly size: Float64Array
}

/**
 * Writes a row's columns in its group's layout (see PmappingTable) into one scratch array,
 * reused for every row of the template (read it before the next call). What does not change
 * from row to row is found once: which loops are fused, each reservation's tracked memory and
 * size (per reservation record: the staged scorer refills one record for every row), and per
 * interned compatibility which reservation backs each of its tensors.
 */
class RowValuesWriter {
  private readonly template: Template
  private readonly objectives: number
  private readonly trackedLevels: ReadonlyArray<number>
  /** Per arch level: its index among the tracked memories, or -1. */
  private readonly trackedOfLevel: Int32Array
  /** The template's fused loops, in order. */
  private readonly fusedLoops: Int32Array
  /** Per k: of the row's first k fused loops, those of more than one iteration (refilled per row). */
  private readonly fusedCounted: Int32Array
  private values: Float64Array
  /** The reservation record the plans below were made for. */
  private planned: ReadonlyArray<ReservationEntry> | undefined
  /** Per reservation: its tracked memory (or -1), its memory's size, and the fused loops above it (-1: persistent, above every loop). */
  private reservationTracked = new Int32Array(0)
  private reservationSize = new Float64Array(0)
  private reservationFusedAbove = new Int32Array(0)
  /** Per interned compatibility: per tensor, the reservation whose bits make its size column (or -1), and the size it is taken of. */
  private tensorPlans: Array<TensorSizePlan | undefined> = []

  constructor(template: Template, trackedLevels: ReadonlyArray<number>, objectives: number) {
    this.template = template
    this.objectives = objectives
    this.trackedLevels = trackedLevels
    this.trackedOfLevel = new Int32Array(template.arch.nodes.length).fill(-1)
    trackedLevels.forEach((level, m) => {
      if (level >= 0 && this.trackedOfLevel[level]! < 0) this.trackedOfLevel[level] = m
    })
    this.fusedLoops = Int32Array.from(template.loopPositions.flatMap((p, i) => ((template.nodes[p] as LoopSlot).fused ? [i] : [])))
    this.fusedCounted = new Int32Array(this.fusedLoops.length + 1)
    this.values = new Float64Array(0)
  }

  /** The row's columns; `id` is `compatibility`'s interned id. */
  write(score: RowScore, layout: GroupLayout, compatibility: Compatibility, id: number, counts: ArrayLike<number>): Float64Array {
    const reservations = score.reservations
    if (reservations !== this.planned) this.plan(reservations)
    const tensorPlan = this.tensorPlans[id] ?? (this.tensorPlans[id] = this.planTensors(compatibility))
    if (this.values.length < layout.width) this.values = new Float64Array(layout.width)
    const values = this.values
    for (let c = 0; c < layout.width; c++) values[c] = 0
    const n = this.objectives
    for (let k = 0; k < n; k++) values[k] = score.values[k]!
    // The fused depth of a reservation: the fused loops of more than one iteration above it (a
    // one-iteration loop is not a loop to a partner), capped at the group's depth (deeper
    // reservations collapse into it, FFM §5.3). Counted once per row over the fused loops.
    const { fusedLoops, fusedCounted, reservationTracked, reservationSize, reservationFusedAbove } = this
    for (let k = 0; k < fusedLoops.length; k++) fusedCounted[k + 1] = fusedCounted[k]! + (counts[fusedLoops[k]!] !== 1 ? 1 : 0)
    // Each column adds its reservations in their order, as one pass per memory would.
    for (let x = 0; x < reservations.length; x++) {
      const m = reservationTracked[x]!
      if (m < 0) continue
      const bits = reservations[x]!.bits
      const size = reservationSize[x]!
      const above = reservationFusedAbove[x]!
      const from = above < 0 ? -1 : Math.min(fusedCounted[above]!, layout.depth)
      for (let d = from; d <= layout.depth; d++) values[reservationColumn(n, layout.depth, m, d)]! += bits / size
    }
    const { reservation, size } = tensorPlan
    for (let i = 0; i < reservation.length; i++) {
      const x = reservation[i]!
      if (x >= 0) values[tensorSizeColumn(n, layout.depth, this.trackedLevels.length, i)] = reservations[x]!.bits / size[i]!
    }
    return values
  }

  /** The last row written, with the objectives of `score` (its other columns do not depend on them). */
  rewriteObjectives(score: RowScore): Float64Array {
    for (let k = 0; k < this.objectives; k++) this.values[k] = score.values[k]!
    return this.values
  }

  /** Each reservation's tracked memory and size; the tensor plans, made for another record, are made again. */
  private plan(reservations: ReadonlyArray<ReservationEntry>): void {
    this.planned = reservations
    this.tensorPlans = []
    if (this.reservationTracked.length < reservations.length) {
      this.reservationTracked = new Int32Array(reservations.length)
      this.reservationSize = new Float64Array(reservations.length)
      this.reservationFusedAbove = new Int32Array(reservations.length)
    }
    const nodes = this.template.arch.nodes
    for (let x = 0; x < reservations.length; x++) {
      const r = reservations[x]!
      this.reservationTracked[x] = this.trackedOfLevel[r.level]!
      this.reservationSize[x] = nodes[r.level]!.size ?? Infinity
      let above = 0
      while (above < this.fusedLoops.length && this.fusedLoops[above]! < r.loopsAbove) above++
      this.reservationFusedAbove[x] = r.persistent ? -1 : above
    }
  }

  /** Per tensor of `compatibility`: the first backing reservation of it in its tracked memory, and that memory. */
  private planTensors(compatibility: Compatibility): TensorSizePlan {
    const reservations = this.planned!
    const tensors = compatibility.tensors
    const plan = { reservation: new Int32Array(tensors.length).fill(-1), size: new Float64Array(tensors.length) }
    for (let i = 0; i < tensors.length; i++) {
      const t = tensors[i]!
      const m = this.trackedOf(t.component)
      if (m < 0) continue
      plan.reservation[i] = reservations.findIndex((r) => r.backing && r.tensor === t.tensor && r.component === t.component)
      plan.size[i] = this.template.arch.nodes[this.trackedLevels[m]!]!.size ?? Infinity
    }
    return plan
  }

  /** The first tracked memory named `component`, or -1. */
  private trackedOf(component: string): number {
    for (let m = 0; m < this.trackedLevels.length; m++) {
      const level = this.trackedLevels[m]!
      if (level >= 0 && this.template.arch.nodes[level]!.name === component) return m
    }
    return -1
  }
}
