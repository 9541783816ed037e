/**
 * Pareto pruning of partial tile rows (FFM §3.6-3.7), on the template's cost polynomials.
 *
 * When some rank variables' tiles are chosen and the rest are not, each cost polynomial splits
 * into groups of monomials that share the same unknown part U: cost = Σ_U C_U(known) · U(rest),
 * with every U(rest) > 0. If row A has C_U(A) ≤ C_U(B) for every group of every cost, then
 * for every completion (the same one applied to both; candidates for a variable do not depend
 * on the others) A costs no more than B, so B can go. The costs compared are:
 *
 * - dynamic energy;
 * - every per-unit call count of every component (and a Network's longest path and busiest
 *   link), since a component's latency, and with it every column of the composition (model
 *   compose/composition.ts), does not decrease when one grows; in an overlap mode also the
 *   calls it does not defer, from which the critical latency follows;
 * - the occupancy of every bounded memory, per reservation depth (and per backing tensor), so
 *   A fits wherever B fits and A's reservation columns are no larger;
 * - the instances used on each spatial dimension (must be equal where `min_usage` applies, so
 *   the best-effort rule sees the same usages).
 *
 * Rows must also agree on everything that decides compatibility or a validity rule not
 * covered above: the tiles and counts of fused loops, the counts of loops named by loop-bound
 * constraints, and the counts of spatial loops on dimensions with a loop-count limit. Under a
 * limit on all loops (`max_loops`), a row that has used no more loops so far is no worse: the
 * loops used are one more cost.
 */
import { algebra, Polynomial } from "@effect-accelforge/model"
import type { Goal } from "../pareto/index.ts"
import type { PruneFunction } from "../service/pareto-pruner.ts"
import type { LoopSlot, Template } from "../template/template.ts"
import { rowFactorSlot } from "./compiled-polynomial.ts"
import type { Term, TemplateTerms } from "./cost-terms.ts"
import { templateLoopCounter } from "./enumerate-tiles.ts"

interface KnownMonomial {
  readonly coef: number
  /** Flattened (loop, exponent) pairs over the known loops. */
  readonly factors: Int32Array
}

/** One column: a sum of known parts (its unknown part is shared by every monomial in it). */
export type Column = ReadonlyArray<KnownMonomial>

export interface PartialPruner {
  /** Indices of the rows to keep; `known[i]` says whether loop i's tile is chosen. */
  readonly prune: (tiles: Int32Array, count: number, known: Uint8Array) => Int32Array
}

export interface PruningLimits {
  readonly maxLoopsPerSpatialDimension: number
  /** With a finite limit on all loops, a row that has used fewer loops so far can take more completions. */
  readonly maxLoops: number
}

export const partialPruner = (
  template: Template,
  derived: TemplateTerms,
  bounds: ReadonlyMap<string, number>,
  limits: PruningLimits,
  prune: PruneFunction
): PartialPruner => {
  // Set up on the first prune: most templates have no step of enough rows to be pruned (on
  // eyeriss' GPT-3 6.7B prefill, 96 of 337 do).
  let ready: PartialPruner | undefined
  return { prune: (tiles, count, known) => (ready ??= readyPruner(template, derived, bounds, limits, prune)).prune(tiles, count, known) }
}

const readyPruner = (
  template: Template,
  derived: TemplateTerms,
  bounds: ReadonlyMap<string, number>,
  limits: PruningLimits,
  prune: PruneFunction
): PartialPruner => {
  const loops = template.loopPositions.map((p) => template.nodes[p] as LoopSlot)
  const width = loops.length
  const costs = costPolynomials(template, derived)
  const countsOf = templateLoopCounter(template, bounds)
  const minUsageDims = new Set(template.minUsage.map((m) => `${m.component}.${m.dimension}`))
  const dimensionOf = (l: LoopSlot) => `${l.component}.${l.dimension}`
  const boundLoops = new Set(template.loopBounds.flatMap((b) => b.loops))
  const loopsOfDimension = new Map<string, Array<number>>()
  loops.forEach((l, j) => {
    if (l.spatial) loopsOfDimension.set(dimensionOf(l), [...(loopsOfDimension.get(dimensionOf(l)) ?? []), j])
  })
  // Loops whose own count must match between compared rows.
  const mustMatchCount = loops.map((l, i) =>
    boundLoops.has(i) || (l.spatial && loopsOfDimension.get(dimensionOf(l))!.length > limits.maxLoopsPerSpatialDimension)
  )

  // The columns of a set of known loops, found once: a step prunes its rows several times (mid-step and at its end).
  const plans = new Map<string, PrunePlan>()
  const planOf = (known: Uint8Array): PrunePlan => {
    const key = known.join("")
    let plan = plans.get(key)
    if (plan === undefined) {
      plan = prunePlan(costs, known, loops, loopsOfDimension, minUsageDims, mustMatchCount, limits)
      plans.set(key, plan)
    }
    return plan
  }
  const counts = new Float64Array(width)
  return {
    prune: (tiles, count, known) => {
      const plan = planOf(known)
      const columns = columnSpace.take(plan.goals.length, count)
      evaluateColumns(plan.costs, tiles, count, width, columns)
      const { kind, loopStart, loop } = plan.countColumns
      const first = plan.costs.columnStart.length - 1
      if (kind.length > 0) {
        for (let r = 0; r < count; r++) {
          countsOf(tiles, r * width, counts)
          for (let f = 0; f < kind.length; f++) columns[first + f]![r] = countColumnValue(kind[f]!, loop, loopStart[f]!, loopStart[f + 1]!, counts, tiles, r * width)
        }
      }
      return prune(columns, plan.goals)
    }
  }
}

/** What the pruner compares for one set of known loops: its cost columns, then its columns of loop counts and tiles. */
interface PrunePlan {
  readonly goals: ReadonlyArray<Goal>
  readonly costs: FlatColumns
  readonly countColumns: CountColumns
}

/** Kinds of the columns made of loop counts and tiles (see `countColumnValue`). */
const USED_INSTANCES = 0
const LOOPS_USED = 1
const TILE = 2
const COUNT = 3

/** Columns made of loop counts: column f is of `kind[f]` over loops `loop[loopStart[f]..loopStart[f+1]]`. */
interface CountColumns {
  readonly kind: Int32Array
  readonly loopStart: Int32Array
  readonly loop: Int32Array
}

/** A row's value in a column of loop counts (one branch per kind, no call per column: this sees every partial row). */
const countColumnValue = (kind: number, loop: Int32Array, from: number, to: number, counts: Float64Array, tiles: Int32Array, offset: number): number => {
  if (kind === USED_INSTANCES) {
    let used = 1
    for (let x = from; x < to; x++) used *= counts[loop[x]!]!
    return used
  }
  if (kind === LOOPS_USED) {
    let n = 0
    for (let x = from; x < to; x++) if (counts[loop[x]!]! > 1) n++
    return n
  }
  return kind === TILE ? tiles[offset + loop[from]!]! : counts[loop[from]!]!
}

const prunePlan = (
  costs: ReadonlyArray<Polynomial>,
  known: Uint8Array,
  loops: ReadonlyArray<LoopSlot>,
  loopsOfDimension: ReadonlyMap<string, ReadonlyArray<number>>,
  minUsageDims: ReadonlySet<string>,
  mustMatchCount: ReadonlyArray<boolean>,
  limits: PruningLimits
): PrunePlan => {
  const goals: Array<Goal> = []
  // Columns that are positive multiples of one another order the rows alike: one is enough.
  const seen = new Set<string>()
  const costColumns: Array<Column> = []
  for (const poly of costs) {
    for (const column of splitByUnknownPart(poly, known)) {
      const shape = shapeOf(column)
      if (seen.has(shape)) continue
      seen.add(shape)
      costColumns.push(column)
      goals.push("min")
    }
  }
  const kind: Array<number> = []
  const loopStart = [0]
  const loop: Array<number> = []
  const column = (goal: Goal, k: number, over: ReadonlyArray<number>) => {
    goals.push(goal)
    kind.push(k)
    loop.push(...over)
    loopStart.push(loop.length)
  }
  for (const [dim, dimLoops] of loopsOfDimension) {
    const knownLoops = dimLoops.filter((j) => known[j])
    if (knownLoops.length > 0) column(minUsageDims.has(dim) ? "diff" : "min", USED_INSTANCES, knownLoops)
  }
  if (Number.isFinite(limits.maxLoops)) column("min", LOOPS_USED, loops.flatMap((_, j) => (known[j] ? [j] : [])))
  loops.forEach((l, j) => {
    if (!known[j]) return
    if (l.fused) column("diff", TILE, [j])
    if (l.fused || mustMatchCount[j]) column("diff", COUNT, [j])
  })
  return {
    goals,
    costs: flatten(costColumns),
    countColumns: { kind: Int32Array.from(kind), loopStart: Int32Array.from(loopStart), loop: Int32Array.from(loop) }
  }
}

/**
 * Columns for the pruner's table, reused from call to call (and template to template): fresh
 * ones, zeroed and faulted in at every prune, were a fifth of the partial pruning's time. The
 * pruner returns row indices only, so a prune's columns are free again when it returns. Tables
 * of more rows than `MAX_ROWS` (mid-step prunes of huge steps) get columns of their own, so
 * the space kept stays small.
 */
class ColumnSpace {
  private static readonly MAX_ROWS = 1 << 14
  private buffers: Array<Float64Array> = []

  take(columns: number, rows: number): Array<Float64Array> {
    if (rows > ColumnSpace.MAX_ROWS) return Array.from({ length: columns }, () => new Float64Array(rows))
    const out: Array<Float64Array> = []
    for (let c = 0; c < columns; c++) {
      if (this.buffers.length <= c || this.buffers[c]!.length < rows) this.buffers[c] = new Float64Array(Math.max(rows, 2 * (this.buffers[c]?.length ?? 0)))
      out.push(this.buffers[c]!.subarray(0, rows))
    }
    return out
  }
}

/** One per thread (workers have their own modules); a search prunes one table at a time. */
const columnSpace = new ColumnSpace()

/** The costs compared between rows (see the module comment); constants decide nothing. */
const costPolynomials = (template: Template, derived: TemplateTerms): Array<Polynomial> => {
  const { dynamicEnergy, calls, reservations } = derived.terms
  // An overlap mode's critical latency grows with the calls it does not defer: compared too.
  const critical = (c: (typeof calls)[number]): Array<Term> =>
    [...c.deferred].map(([action, deferred]) => algebra.sub(c.calls.get(action) ?? 0, deferred) as Term)
  const out: Array<Term> = [dynamicEnergy, ...calls.flatMap((c) => [...c.calls.values(), ...critical(c), c.maxHops, c.maxLinkTraffic])]
  const classes = new Map<string, Term>()
  for (const r of reservations) {
    const size = template.arch.nodes[r.level]!.size
    if (size === undefined || !Number.isFinite(size)) continue
    const key = `${r.level}/${r.loopsAbove}/${r.backing ? r.tensor : ""}`
    classes.set(key, algebra.add(classes.get(key) ?? 0, r.bits) as Term)
  }
  return [...out, ...classes.values()].filter((t): t is Polynomial => t instanceof Polynomial)
}

const splitByUnknownPart = (poly: Polynomial, known: Uint8Array): Array<Column> => {
  const groups = new Map<string, Array<KnownMonomial>>()
  for (let k = 0; k < poly.monomials.length; k++) {
    const t = poly.monomials[k]!
    const unknownKey: Array<number> = []
    const factors: Array<number> = []
    for (let i = 0; i < t.exps.length; i++) {
      const e = t.exps[i]!
      if (e === 0) continue
      if (known[i]) factors.push(i, e)
      else unknownKey.push(i, e)
    }
    const key = unknownKey.join(",")
    const list = groups.get(key) ?? []
    list.push({ coef: t.coef, factors: Int32Array.from(factors) })
    groups.set(key, list)
  }
  // A group with no known factor at all is the same for every row: it cannot decide anything.
  return [...groups.values()].filter((g) => g.some((m) => m.factors.length > 0))
}

/** The column's monomials up to a positive common factor. */
const shapeOf = (column: Column): string => {
  const entries = column.map((m) => ({ factors: m.factors.join(","), coef: m.coef })).sort((a, b) => (a.factors < b.factors ? -1 : a.factors > b.factors ? 1 : 0))
  const scale = Math.abs(entries[0]!.coef)
  return entries.map((e) => `${e.factors}@${e.coef / scale}`).join(";")
}

/** Columns as flat arrays: column c's monomials are `columnStart[c]..columnStart[c+1]`, monomial m's factors `factorStart[m]..factorStart[m+1]`. */
interface FlatColumns {
  readonly columnStart: Int32Array
  readonly coefs: Float64Array
  readonly factorStart: Int32Array
  readonly loop: Int32Array
  readonly exponent: Int32Array
  /** Loops some factor divides by (exponent -1): their reciprocals are taken when their tile changes. */
  readonly inverted: Int32Array
  /** Per factor: where a row's factors hold its value (`rowFactorSlot`: the tile or its reciprocal), or -1 for another power. */
  readonly factor: Int32Array
  /** Per column: 1 when every factor of it is a tile or its reciprocal (its loop needs no other case). */
  readonly factoredColumn: Uint8Array
  /** Per column, the loops its monomials read, as bits (`loopBit`). */
  readonly readsLoops: Int32Array
}

/** Loop j's bit in a set of loops: its own for the first 31, one shared bit for the rest (a change there is a change to all of them). */
const loopBit = (loop: number): number => 1 << Math.min(loop, 31)

const flatten = (columns: ReadonlyArray<Column>): FlatColumns => {
  const columnStart = [0]
  const coefs: Array<number> = []
  const factorStart = [0]
  const loop: Array<number> = []
  const exponent: Array<number> = []
  const inverted = new Set<number>()
  const readsLoops: Array<number> = []
  const factor: Array<number> = []
  const factoredColumn: Array<number> = []
  for (const column of columns) {
    let reads = 0
    let factored = 1
    for (const m of column) {
      coefs.push(m.coef)
      for (let k = 0; k < m.factors.length; k += 2) {
        reads |= loopBit(m.factors[k]!)
        loop.push(m.factors[k]!)
        const e = m.factors[k + 1]!
        exponent.push(e)
        const slot = rowFactorSlot(m.factors[k]!, e)
        factor.push(slot)
        if (slot < 0) factored = 0
        if (e === -1) inverted.add(m.factors[k]!)
      }
      factorStart.push(loop.length)
    }
    columnStart.push(coefs.length)
    readsLoops.push(reads)
    factoredColumn.push(factored)
  }
  return {
    columnStart: Int32Array.from(columnStart),
    coefs: Float64Array.from(coefs),
    factorStart: Int32Array.from(factorStart),
    loop: Int32Array.from(loop),
    exponent: Int32Array.from(exponent),
    inverted: Int32Array.from(inverted),
    readsLoops: Int32Array.from(readsLoops),
    factor: Int32Array.from(factor),
    factoredColumn: Uint8Array.from(factoredColumn)
  }
}

/**
 * Every column's value at every row, row by row over flat arrays (no object or iterator per
 * monomial: this sees millions of partial rows). Each monomial is its coefficient times its
 * factors in order and each column the sum of its monomials in order, with `1 / tile` taken once
 * per change of the tile: the same operations on the same numbers as one monomial at a time, so
 * the same bits. Factors are read from one array of a row's tiles and reciprocals, the usual
 * column (every factor a tile or its reciprocal) without a test per factor.
 * A step's rows come in runs grown from one earlier row, which differ only in the step's own
 * loops: a column that reads none of the loops where a row differs from the row before it has
 * the row before's value (the same operations on the same numbers again), and is copied.
 */
/** Each column's values at each of `count` rows (`tiles`, `width` per row), as the pruner compares them. */
export const columnValues = (columns: ReadonlyArray<Column>, tiles: Int32Array, count: number, width: number): Array<Float64Array> => {
  const out = Array.from(columns, () => new Float64Array(count))
  evaluateColumns(flatten(columns), tiles, count, width, out)
  return out
}

/**
 * Row `offset`'s tiles into `factors` (the layout of compiled-polynomial.ts `fillRowFactors`; 1 / tile k only where `isInverted[k]`),
 * only where they differ from the row before's (each reciprocal divided out once per change);
 * returns the loops (as `loopBit`s) where they differ. `factors` starts as NaN, which no tile equals.
 */
const enterRow = (tiles: Int32Array, offset: number, width: number, factors: Float64Array, isInverted: Uint8Array): number => {
  let changed = 0
  for (let j = 0; j < width; j++) {
    const t = tiles[offset + j]!
    if (t === factors[2 * j]) continue
    changed |= loopBit(j)
    factors[2 * j] = t
    if (isInverted[j] === 1) factors[2 * j + 1] = 1 / t
  }
  return changed
}

/** Fills the first columns of `out` (one per flat column) with their values at each row. */
const evaluateColumns = (flat: FlatColumns, tiles: Int32Array, count: number, width: number, out: ReadonlyArray<Float64Array>): void => {
  const { columnStart, coefs, factorStart, loop, exponent, inverted, readsLoops, factor, factoredColumn } = flat
  const nColumns = columnStart.length - 1
  const factors = new Float64Array(2 * width).fill(NaN)
  const isInverted = new Uint8Array(width)
  for (let i = 0; i < inverted.length; i++) isInverted[inverted[i]!] = 1
  for (let r = 0; r < count; r++) {
    const offset = r * width
    const changed = enterRow(tiles, offset, width, factors, isInverted)
    for (let c = 0; c < nColumns; c++) {
      const column = out[c]!
      if (r > 0 && (readsLoops[c]! & changed) === 0) {
        column[r] = column[r - 1]!
        continue
      }
      let sum = 0
      if (factoredColumn[c] === 1) {
        // The usual case: every factor a tile or its reciprocal, the same products without a test per factor.
        for (let m = columnStart[c]!; m < columnStart[c + 1]!; m++) {
          let v = coefs[m]!
          for (let f = factorStart[m]!; f < factorStart[m + 1]!; f++) v *= factors[factor[f]!]!
          sum += v
        }
      } else {
        for (let m = columnStart[c]!; m < columnStart[c + 1]!; m++) {
          let v = coefs[m]!
          for (let f = factorStart[m]!; f < factorStart[m + 1]!; f++) {
            const e = exponent[f]!
            v *= e === 1 ? factors[2 * loop[f]!]! : e === -1 ? factors[2 * loop[f]! + 1]! : Math.pow(factors[2 * loop[f]!]!, e)
          }
          sum += v
        }
      }
      column[r] = sum
    }
  }
}
