/**
 * The answer of a joined front: the best row for the metric (the composition derives EDP from
 * a row's columns, model compose/), its objectives, and its LoopTree (one fused mapping). The
 * Mapper service then has the model evaluate it, so the numbers reported are the model's.
 */
import { type MappingSource, objectivesOf } from "@effect-accelforge/model"
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

const totalsOf = (setup: SearchSetup, front: JoinGroup, row: number) => setup.composition.totals(setup.columns, front.objectives.map((c) => c[row]!))

/** The best row of the front: min EDP when asked, else the lexicographically smallest objectives (first wins ties). */
export const pickBest = (front: JoinGroup, setup: SearchSetup): number => {
  const objectives = objectivesOf(setup.config.metrics)
  const byEdp = usesEdp(setup.config.metrics)
  // A mode that overlaps Einsums carries the nest's state, not the objectives: they come from the totals.
  const score = (r: number): Array<number> => {
    const totals = totalsOf(setup, front, r)
    return byEdp ? [totals.edp!] : objectives.map((o) => totals[o]!)
  }
  let best = 0
  let bestScore = score(0)
  for (let r = 1; r < front.rows; r++) {
    const candidate = score(r)
    if (lexicographicallyLess(candidate, bestScore)) {
      best = r
      bestScore = candidate
    }
  }
  return best
}

const lexicographicallyLess = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!
  return false
}

/** The LoopTree of one row of the joined front. */
export const mappingOfRow = (tables: ReadonlyArray<PmappingTable>, front: JoinGroup, row: number): MappingSource =>
  fusedMapping(tables.map((table, e) => einsumChain(table, front.choices[e]![row]!, front.attach[e]![row]!)))

export const chooseMapping = (setup: SearchSetup, tables: ReadonlyArray<PmappingTable>, front: JoinGroup): ChosenMapping => {
  const row = pickBest(front, setup)
  const { edp, ...totals } = totalsOf(setup, front, row)
  return {
    source: mappingOfRow(tables, front, row),
    row,
    objectives: usesEdp(setup.config.metrics) ? { ...totals, edp: edp! } : totals,
    frontSize: edpOnly(setup.config.metrics) ? 1 : front.rows
  }
}
