/**
 * Mapping each Einsum alone (the unfused answer, and what `run` returns until joining lands):
 * every tensor an Einsum shares is backed in the outermost memory with no fused loop, so the
 * Einsums run one after another and their energies and latencies add. For a single objective
 * each Einsum's best row is optimal; for EDP or several metrics the per-Einsum fronts are
 * added pairwise (a Minkowski sum) and re-pruned, which keeps the exact energy-latency front.
 */
import { NoValidMappingError } from "../errors.ts"
import type { PmappingGroup, PmappingTable } from "../generate/pmapping-table.ts"
import { paretoFront } from "../pareto/index.ts"

export interface RowChoice {
  readonly einsum: string
  readonly group: PmappingGroup
  readonly row: number
}

export interface JoinedRow {
  /** Sums of the objective columns. */
  readonly objectives: Float64Array
  readonly choices: ReadonlyArray<RowChoice>
}

const unfusedGroups = (table: PmappingTable, outermost: string): Array<PmappingGroup> =>
  table.groups
    .filter((g) => g.compatibility.tensors.every((t) => t.component === outermost && t.loops.length === 0))
    // Equally good groups: the one generated from more rows first (AccelForge's order, ffm §11 A).
    .map((g, i) => ({ g, i }))
    .sort((a, b) => b.g.generated - a.g.generated || a.i - b.i)
    .map(({ g }) => g)

const frontOf = (rows: ReadonlyArray<JoinedRow>, objectives: number): Array<JoinedRow> => {
  const columns = Array.from({ length: objectives }, (_, c) => Float64Array.from(rows, (r) => r.objectives[c]!))
  return Array.from(paretoFront(columns, columns.map(() => "min")), (i) => rows[i]!)
}

/** The exact front of whole-workload objective sums over unfused pmappings. */
export const joinUnfused = (tables: ReadonlyArray<PmappingTable>, outermost: string): Array<JoinedRow> => {
  let front: Array<JoinedRow> = [{ objectives: new Float64Array(tables[0]?.objectives ?? 0), choices: [] }]
  for (const table of tables) {
    const candidates: Array<JoinedRow> = []
    for (const group of unfusedGroups(table, outermost)) {
      for (let row = 0; row < group.rows; row++) {
        candidates.push({ objectives: Float64Array.from({ length: table.objectives }, (_, c) => group.columns[c]![row]!), choices: [{ einsum: table.einsum, group, row }] })
      }
    }
    if (candidates.length === 0) {
      throw new NoValidMappingError({
        einsum: table.einsum,
        reason: table.groups.length === 0
          ? "no valid pmapping: every tile shape of every template breaks a capacity, fanout or loop-bound rule"
          : `no pmapping keeps its shared tensors in ${outermost} (the outermost memory), which mapping Einsums one at a time needs`
      })
    }
    const own = frontOf(candidates, table.objectives)
    const next: Array<JoinedRow> = []
    for (const a of front) {
      for (const b of own) {
        next.push({ objectives: a.objectives.map((v, c) => v + b.objectives[c]!), choices: [...a.choices, ...b.choices] })
      }
    }
    front = frontOf(next, table.objectives)
  }
  return front
}
