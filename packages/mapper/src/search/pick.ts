/**
 * The answer of a joined front: the best row for the metric (the composition derives EDP from
 * a row's columns, model compose/), its objectives, and its LoopTree (one fused mapping); or
 * every point of the front, for a run with several objectives. The
 * Mapper service then has the model evaluate it, so the numbers reported are the model's.
 */
import { type BoundedObjective, type MappingSource, type ObjectiveName, objectivesOf } from "@effect-accelforge/model"
import { edpOnly, usesEdp, usesResourceObjective } from "../generate/objectives.ts"
import type { PmappingTable } from "../generate/pmapping-table.ts"
import type { JoinGroup } from "../join/join-group.ts"
import { einsumChain, fusedMapping } from "../result/fused-mapping.ts"
import type { SearchSetup } from "./search-setup.ts"

export interface ChosenMapping {
  readonly source: MappingSource
  /** The chosen row of the final front. */
  readonly row: number
  /** The mapper's own objectives for it (the model's re-evaluation comes after). */
  readonly objectives: Readonly<Record<string, number>>
  /** Rows of the final Pareto front (1 for a single objective or EDP alone). */
  readonly frontSize: number
}

/**
 * The objectives in the order the pick compares them: the ones asked for first (in the
 * composition's order), then the ones the search carries only to break ties (`searchedMetrics`).
 * They come from the composition's totals: a mode that overlaps Einsums carries the nest's
 * state in its columns, not the objectives.
 */
const pickOrder = (setup: SearchSetup): Array<ObjectiveName> => {
  const asked = objectivesOf(setup.askedMetrics)
  return [...asked, ...objectivesOf(setup.config.metrics).filter((o) => !asked.includes(o))]
}

const totalsOf = (setup: SearchSetup, front: JoinGroup, row: number) => setup.composition.totals(setup.columns, front.objectives.map((c) => c[row]!))

/** A row's objectives in pick order, and its EDP. */
interface RowScore {
  readonly objectives: ReadonlyArray<number>
  readonly edp: number
}

const rowScores = (setup: SearchSetup, front: JoinGroup): Array<RowScore> => {
  const order = pickOrder(setup)
  return Array.from({ length: front.rows }, (_, r) => {
    const totals = totalsOf(setup, front, r)
    return { objectives: order.map((o) => totals[o]!), edp: totals.edp ?? 0 }
  })
}

const lexicographicallyLess = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!
  return false
}

const bestOf = (setup: SearchSetup, scores: ReadonlyArray<RowScore>): number => {
  const byEdp = usesEdp(setup.askedMetrics)
  const breakEdpTies = setup.config._tie_break === "objectives"
  const better = (a: RowScore, b: RowScore): boolean =>
    byEdp
      ? a.edp < b.edp || (breakEdpTies && a.edp === b.edp && lexicographicallyLess(a.objectives, b.objectives))
      : lexicographicallyLess(a.objectives, b.objectives)
  let best = 0
  for (let r = 1; r < scores.length; r++) if (better(scores[r]!, scores[best]!)) best = r
  return best
}

/**
 * The best row of the front: min EDP when asked, else the lexicographically smallest objectives,
 * the asked ones first. Exact ties on EDP go to the lexicographic order too, unless the spec asks
 * for AccelForge's order (`_tie_break: first`): then the first row wins every tie.
 */
export const pickBest = (front: JoinGroup, setup: SearchSetup): number => bestOf(setup, rowScores(setup, front))

/** Points of the front over the asked objectives: 1 for a single objective or EDP alone, else every row. */
const askedFrontSize = (setup: SearchSetup, front: JoinGroup): number =>
  edpOnly(setup.askedMetrics) || objectivesOf(setup.askedMetrics).length <= 1 ? 1 : front.rows

/**
 * The one scalar the pick minimises, when the answer is a single mapping picked by it (EDP alone,
 * or energy or latency alone, memory use not asked): then a join may drop rows that cannot
 * reach the best (join/join-bound.ts; off with `mapper._bound_join=false`). Undefined when the
 * answer is a front of several points, and with `_tie_break: first`: there the join's order
 * picks among mappings tied on the one objective, and dropping rows can reorder its groups
 * (a group whose rows are all dropped no longer creates the joined groups it met first).
 */
export const pickedScalar = (setup: SearchSetup): BoundedObjective | undefined => {
  const asked = setup.askedMetrics
  if (!setup.config._bound_join || setup.config._tie_break === "first" || usesResourceObjective(asked)) return undefined
  if (edpOnly(asked)) return "edp"
  const names = objectivesOf(asked)
  return names.length === 1 && (names[0] === "energy" || names[0] === "latency") ? names[0] : undefined
}

const rowObjectives = (setup: SearchSetup, front: JoinGroup, row: number): Record<string, number> => {
  const { edp, ...totals } = totalsOf(setup, front, row)
  return usesEdp(setup.askedMetrics) ? { ...totals, edp: edp! } : totals
}

/** The LoopTree of one row of the joined front. */
export const mappingOfRow = (tables: ReadonlyArray<PmappingTable>, front: JoinGroup, row: number): MappingSource =>
  fusedMapping(tables.map((table, e) => einsumChain(table, front.choices[e]![row]!, front.attach[e]![row]!)))

export const chooseMapping = (setup: SearchSetup, tables: ReadonlyArray<PmappingTable>, front: JoinGroup): ChosenMapping => {
  const row = pickBest(front, setup)
  return { source: mappingOfRow(tables, front, row), row, objectives: rowObjectives(setup, front, row), frontSize: askedFrontSize(setup, front) }
}

/** One point of the front: its row, its mapping and the mapper's objectives for it. */
export interface FrontPoint {
  readonly row: number
  readonly source: MappingSource
  readonly objectives: Readonly<Record<string, number>>
}

/**
 * Every point of the front over the asked objectives, in pick order (the chosen one first): for a
 * run with several objectives, the trade-offs a user chooses from; for one objective, the pick.
 */
export const frontPoints = (setup: SearchSetup, tables: ReadonlyArray<PmappingTable>, front: JoinGroup): Array<FrontPoint> => {
  const scores = rowScores(setup, front)
  const best = bestOf(setup, scores)
  if (askedFrontSize(setup, front) === 1) {
    return [{ row: best, source: mappingOfRow(tables, front, best), objectives: rowObjectives(setup, front, best) }]
  }
  const order = scores.map((score) => score.objectives)
  const rows = Array.from({ length: front.rows }, (_, r) => r)
    .sort((a, b) => (a === best ? -1 : b === best ? 1 : lexicographicallyLess(order[a]!, order[b]!) ? -1 : lexicographicallyLess(order[b]!, order[a]!) ? 1 : a - b))
  return rows.map((row) => ({ row, source: mappingOfRow(tables, front, row), objectives: rowObjectives(setup, front, row) }))
}
