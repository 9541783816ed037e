import fc from "fast-check"
import { describe, expect, it, vi } from "vitest"
import { dominates, type ParetoOptions, paretoFront, paretoFrontReference } from "../src/pareto/index.ts"
import {
  groupKeyOf,
  orientedObjectivesOf,
  positiveValue,
  rowCountOf,
  type Table,
  tableArbitrary,
  tieProneValue
} from "./pareto-tables.ts"

// CPU-bound properties with fixed seeds and run counts: no wall-clock limit (a loaded machine is slow, not wrong).
vi.setConfig({ testTimeout: 0 })

const smallTables = tableArbitrary({ maxRows: 40, maxDiffColumns: 3, maxObjectiveColumns: 6, value: tieProneValue })
// Groups above 16 rows go through the sorting algorithms rather than pairwise comparison.
const mediumTables = tableArbitrary({ maxRows: 120, maxDiffColumns: 2, maxObjectiveColumns: 6, value: tieProneValue })
// One group of a few hundred rows reaches the radix sort and a multi-block dominance window.
const largeTables = tableArbitrary({ maxRows: 400, maxDiffColumns: 1, maxObjectiveColumns: 6, value: tieProneValue })

// Columns of a few values each, as the join's latency and reservation levels: groups of 64 rows
// and more are reduced to their bucket minima before the front is taken.
const fewValuedTables = tableArbitrary({ maxRows: 300, maxDiffColumns: 1, maxObjectiveColumns: 5, value: fc.integer({ min: 0, max: 3 }) })

const keptList = (table: Table, options?: ParetoOptions): Array<number> =>
  Array.from(paretoFront(table.columns, table.goals, options))

const sameVector = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean =>
  a.every((value, index) => value === b[index])

const rowsOfGroupOf = (table: Table, row: number): Array<number> =>
  Array.from({ length: rowCountOf(table) }, (_, other) => other).filter(
    (other) => groupKeyOf(table, other) === groupKeyOf(table, row)
  )

describe("paretoFront matches the quadratic reference", () => {
  it("on small tables with many ties", () => {
    fc.assert(
      fc.property(smallTables, (table) => {
        expect(keptList(table)).toEqual(Array.from(paretoFrontReference(table.columns, table.goals)))
      }),
      { numRuns: 400 }
    )
  })

  it("on medium tables", () => {
    fc.assert(
      fc.property(mediumTables, (table) => {
        expect(keptList(table)).toEqual(Array.from(paretoFrontReference(table.columns, table.goals)))
      }),
      { numRuns: 150 }
    )
  })

  it("on larger tables", () => {
    fc.assert(
      fc.property(largeTables, (table) => {
        expect(keptList(table)).toEqual(Array.from(paretoFrontReference(table.columns, table.goals)))
      }),
      { numRuns: 25 }
    )
  })

  it("on larger tables of few-valued columns", () => {
    fc.assert(
      fc.property(fewValuedTables, (table) => {
        expect(keptList(table)).toEqual(Array.from(paretoFrontReference(table.columns, table.goals)))
      }),
      { numRuns: 60 }
    )
  })

  it("with tolerances", () => {
    const tablesWithTolerances = smallTables.chain((table) =>
      fc.record({
        table: fc.constant(table),
        relativeTolerance: fc.array(fc.constantFrom(0, 0.1, 0.5, 1), { minLength: table.columns.length, maxLength: table.columns.length }),
        absoluteTolerance: fc.array(fc.constantFrom(0, 0.5, 2), { minLength: table.columns.length, maxLength: table.columns.length })
      })
    )
    fc.assert(
      fc.property(tablesWithTolerances, ({ table, ...options }) => {
        expect(keptList(table, options)).toEqual(Array.from(paretoFrontReference(table.columns, table.goals, options)))
      }),
      { numRuns: 300 }
    )
  })
})

describe("paretoFront keeps exactly one row per front vector", () => {
  it("keeps only rows that no row of their group dominates, and no two equal ones", () => {
    fc.assert(
      fc.property(smallTables, (table) => {
        const kept = keptList(table)
        for (const row of kept) {
          for (const other of rowsOfGroupOf(table, row)) {
            expect(dominates(orientedObjectivesOf(table, other), orientedObjectivesOf(table, row))).toBe(false)
            if (other !== row && kept.includes(other)) {
              expect(sameVector(orientedObjectivesOf(table, other), orientedObjectivesOf(table, row))).toBe(false)
            }
          }
        }
      }),
      { numRuns: 300 }
    )
  })

  it("represents every non-dominated row by itself or an earlier identical kept row", () => {
    fc.assert(
      fc.property(smallTables, (table) => {
        const kept = new Set(keptList(table))
        for (let row = 0; row < rowCountOf(table); row++) {
          const group = rowsOfGroupOf(table, row)
          const vector = orientedObjectivesOf(table, row)
          const isDominated = group.some((other) => dominates(orientedObjectivesOf(table, other), vector))
          if (isDominated || kept.has(row)) continue
          const representative = group.find((other) => other < row && kept.has(other) && sameVector(orientedObjectivesOf(table, other), vector))
          expect(representative).toBeDefined()
        }
      }),
      { numRuns: 300 }
    )
  })

  it("keeps every row when pruning its own result again", () => {
    fc.assert(
      fc.property(smallTables, (table) => {
        const kept = paretoFront(table.columns, table.goals)
        const prunedColumns = table.columns.map((column) => Float64Array.from(kept, (row) => column[row]!))
        expect(paretoFront(prunedColumns, table.goals).length).toBe(kept.length)
      }),
      { numRuns: 200 }
    )
  })

  it("does not depend on the column order", () => {
    fc.assert(
      fc.property(smallTables, (table) => {
        const reversed = { columns: [...table.columns].reverse(), goals: [...table.goals].reverse() }
        expect(keptList(reversed)).toEqual(keptList(table))
      }),
      { numRuns: 200 }
    )
  })
})

describe("paretoFront with a relative tolerance", () => {
  const positiveTables = tableArbitrary({ maxRows: 40, maxDiffColumns: 2, maxObjectiveColumns: 5, value: positiveValue })
  const tolerance = fc.constantFrom(0.01, 0.05, 0.1, 0.5, 1)
  const slack = 1 + 1e-9

  const relativeOnObjectives = (table: Table, relative: number): ParetoOptions => ({
    // Diff columns get a tolerance too: it must be ignored, or groups would merge.
    relativeTolerance: table.columns.map(() => relative)
  })

  it("has a kept row within (1 + t) on every objective for each dropped row", () => {
    fc.assert(
      fc.property(positiveTables, tolerance, (table, relative) => {
        const kept = keptList(table, relativeOnObjectives(table, relative))
        const keptSet = new Set(kept)
        for (let dropped = 0; dropped < rowCountOf(table); dropped++) {
          if (keptSet.has(dropped)) continue
          const isCloseEnough = (row: number) =>
            table.columns.every((column, index) => {
              const goal = table.goals[index]
              if (goal === "min") return column[row]! <= column[dropped]! * (1 + relative) * slack
              if (goal === "max") return column[row]! * (1 + relative) * slack >= column[dropped]!
              return column[row] === column[dropped]
            })
          expect(kept.some(isCloseEnough)).toBe(true)
        }
      }),
      { numRuns: 300 }
    )
  })

  it("with an absolute tolerance as well, stays within (d + a)(1 + t)", () => {
    fc.assert(
      fc.property(positiveTables, tolerance, fc.constantFrom(0.1, 1, 5), (table, relative, absolute) => {
        const options: ParetoOptions = {
          relativeTolerance: table.columns.map(() => relative),
          absoluteTolerance: table.columns.map(() => absolute)
        }
        const kept = keptList(table, options)
        const keptSet = new Set(kept)
        for (let dropped = 0; dropped < rowCountOf(table); dropped++) {
          if (keptSet.has(dropped)) continue
          const isCloseEnough = (row: number) =>
            table.columns.every((column, index) => {
              const goal = table.goals[index]
              if (goal === "min") return column[row]! <= (column[dropped]! + absolute) * (1 + relative) * slack
              if (goal === "max") return (column[row]! + absolute) * (1 + relative) * slack >= column[dropped]!
              return column[row] === column[dropped]
            })
          expect(kept.some(isCloseEnough)).toBe(true)
        }
      }),
      { numRuns: 200 }
    )
  })

  it("never keeps more rows than exact pruning", () => {
    fc.assert(
      fc.property(positiveTables, tolerance, (table, relative) => {
        const exactCount = keptList(table).length
        expect(exactCount).toBeLessThanOrEqual(rowCountOf(table))
        expect(keptList(table, relativeOnObjectives(table, relative)).length).toBeLessThanOrEqual(exactCount)
      }),
      { numRuns: 300 }
    )
  })
})
