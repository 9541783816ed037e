/**
 * The answer of a joined front: the best row for the metric (the composition derives EDP from
 * a row's columns, model compose/), its objectives, and its LoopTree (one fused mapping); or
 * every point of the front, for a run with several objectives. The
 * Mapper service then has the model evaluate it, so the numbers reported are the model's.
 */
import type { MappingSource } from "@effect-accelforge/model"
import { edpOnly, usesEdp } from "../generate/objectives.ts"
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
 * Column indices in the order the pick compares them: the objectives asked for first (in the
 * composition's order), then the ones the search carries only to break ties (`searchedMetrics`).
 */
const pickOrder = (setup: SearchSetup): Array<number> => {
  const asked = new Set(setup.composition.columns(setup.askedMetrics).map((c) => c.name))
  const all = setup.columns.map((_, i) => i)
  return [...all.filter((i) => asked.has(setup.columns[i]!.name)), ...all.filter((i) => !asked.has(setup.columns[i]!.name))]
}

const lexicographicallyLess = (front: JoinGroup, order: ReadonlyArray<number>, a: number, b: number): boolean => {
  for (const c of order) {
    const column = front.objectives[c]!
    if (column[a] !== column[b]) return column[a]! < column[b]!
  }
  return false
}

const totalsOf = (setup: SearchSetup, front: JoinGroup, row: number) => setup.composition.totals(setup.columns, front.objectives.map((c) => c[row]!))

/**
 * The best row of the front: min EDP when asked, else the lexicographically smallest objectives,
 * the asked ones first. Exact ties on EDP go to the lexicographic order too, unless the spec asks
 * for AccelForge's order (`_tie_break: first`): then the first row wins every tie.
 */
export const pickBest = (front: JoinGroup, setup: SearchSetup): number => {
  const edp = (r: number) => totalsOf(setup, front, r).edp!
  const byEdp = usesEdp(setup.askedMetrics)
  const order = pickOrder(setup)
  const breakEdpTies = setup.config._tie_break === "objectives"
  let best = 0
  for (let r = 1; r < front.rows; r++) {
    const better = byEdp
      ? edp(r) < edp(best) || (breakEdpTies && edp(r) === edp(best) && lexicographicallyLess(front, order, r, best))
      : lexicographicallyLess(front, order, r, best)
    if (better) best = r
  }
  return best
}

/** Points of the front over the asked objectives: 1 for a single objective or EDP alone, else every row. */
const askedFrontSize = (setup: SearchSetup, front: JoinGroup): number =>
  edpOnly(setup.askedMetrics) || setup.composition.columns(setup.askedMetrics).length <= 1 ? 1 : front.rows

const objectivesOf = (setup: SearchSetup, front: JoinGroup, row: number): Record<string, number> => {
  const { edp, ...totals } = totalsOf(setup, front, row)
  return usesEdp(setup.askedMetrics) ? { ...totals, edp: edp! } : totals
}

/** The LoopTree of one row of the joined front. */
export const mappingOfRow = (tables: ReadonlyArray<PmappingTable>, front: JoinGroup, row: number): MappingSource =>
  fusedMapping(tables.map((table, e) => einsumChain(table, front.choices[e]![row]!, front.attach[e]![row]!)))

export const chooseMapping = (setup: SearchSetup, tables: ReadonlyArray<PmappingTable>, front: JoinGroup): ChosenMapping => {
  const row = pickBest(front, setup)
  return { source: mappingOfRow(tables, front, row), row, objectives: objectivesOf(setup, front, row), frontSize: askedFrontSize(setup, front) }
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
  if (askedFrontSize(setup, front) === 1) {
    const row = pickBest(front, setup)
    return [{ row, source: mappingOfRow(tables, front, row), objectives: objectivesOf(setup, front, row) }]
  }
  const order = pickOrder(setup)
  const best = pickBest(front, setup)
  const rows = Array.from({ length: front.rows }, (_, r) => r)
    .sort((a, b) => (a === best ? -1 : b === best ? 1 : lexicographicallyLess(front, order, a, b) ? -1 : lexicographicallyLess(front, order, b, a) ? 1 : a - b))
  return rows.map((row) => ({ row, source: mappingOfRow(tables, front, row), objectives: objectivesOf(setup, front, row) }))
}
