import fc from "fast-check"
import type { Goal } from "../src/pareto/index.ts"

/** A table in the pruner's columnar form. */
export interface Table {
  readonly columns: ReadonlyArray<Float64Array>
  readonly goals: ReadonlyArray<Goal>
}

/** Builds a table from rows written out by hand: `[[1, 2], [3, 4]]` is two rows of two columns. */
export const tableFromRows = (rows: ReadonlyArray<ReadonlyArray<number>>, goals: ReadonlyArray<Goal>): Table => ({
  columns: goals.map((_, column) => Float64Array.from(rows, (row) => row[column]!)),
  goals
})

export const rowCountOf = (table: Table): number => table.columns[0]?.length ?? 0

export const rowOf = (table: Table, row: number, goal: (goal: Goal) => boolean): Array<number> =>
  table.columns.flatMap((column, index) => (goal(table.goals[index]!) ? [column[row]!] : []))

/** Diff values of a row; rows with equal keys are in one group. */
export const groupKeyOf = (table: Table, row: number): string =>
  rowOf(table, row, (goal) => goal === "diff").join("|")

/** Objectives of a row, negated for `"max"` so that smaller is better everywhere. */
export const orientedObjectivesOf = (table: Table, row: number): Array<number> =>
  table.columns.flatMap((column, index) => {
    const goal = table.goals[index]!
    return goal === "diff" ? [] : [goal === "max" ? -column[row]! : column[row]!]
  })

/**
 * Values that tie often (small integers, signed zeros) mixed with arbitrary doubles, float32
 * values, extremes and infinities.
 */
export const tieProneValue: fc.Arbitrary<number> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -2, max: 4 }) },
  { weight: 3, arbitrary: fc.double({ min: -100, max: 100, noNaN: true }) },
  { weight: 1, arbitrary: fc.float({ min: -1000, max: 1000, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(-0, 0.1, 0.2, 0.30000000000000004, 1e20, -1e20, 1e-300) },
  { weight: 1, arbitrary: fc.constantFrom(Infinity, -Infinity) }
)

/** Strictly positive values, for the tolerance guarantees (a log grid needs `x > 0`). */
export const positiveValue: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 6 }) },
  { weight: 3, arbitrary: fc.double({ min: 0.01, max: 1000, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(1, 1.05, 1.1, 1.21, 9.99, 10, 10.01) }
)

interface TableShape {
  readonly maxRows: number
  readonly maxDiffColumns: number
  readonly maxObjectiveColumns: number
  readonly value: fc.Arbitrary<number>
  readonly objectiveGoals?: ReadonlyArray<"min" | "max">
}

/**
 * Random tables with 0–`maxDiffColumns` diff columns (values 0–2, so groups are shared) and
 * 1–`maxObjectiveColumns` objective columns, in random column order; about one column in six
 * is constant.
 */
export const tableArbitrary = (shape: TableShape): fc.Arbitrary<Table> =>
  fc
    .record({
      diffCount: fc.integer({ min: 0, max: shape.maxDiffColumns }),
      objectiveCount: fc.integer({ min: 1, max: shape.maxObjectiveColumns }),
      rowCount: fc.integer({ min: 0, max: shape.maxRows })
    })
    .chain(({ diffCount, objectiveCount, rowCount }) => {
      const column = (value: fc.Arbitrary<number>) =>
        fc.oneof(
          { weight: 5, arbitrary: fc.array(value, { minLength: rowCount, maxLength: rowCount }) },
          { weight: 1, arbitrary: value.map((constant) => Array<number>(rowCount).fill(constant)) }
        )
      const columnCount = diffCount + objectiveCount
      const indices = Array.from({ length: columnCount }, (_, index) => index)
      return fc.record({
        objectives: fc.array(
          fc.record({ values: column(shape.value), goal: fc.constantFrom(...(shape.objectiveGoals ?? ["min", "max"])) }),
          { minLength: objectiveCount, maxLength: objectiveCount }
        ),
        diffs: fc.array(column(fc.integer({ min: 0, max: 2 })), { minLength: diffCount, maxLength: diffCount }),
        order: fc.shuffledSubarray(indices, { minLength: columnCount, maxLength: columnCount })
      })
    })
    .map(({ objectives, diffs, order }) => {
      const unordered: Array<{ readonly values: ReadonlyArray<number>; readonly goal: Goal }> = [
        ...objectives,
        ...diffs.map((values) => ({ values, goal: "diff" as const }))
      ]
      const columns = order.map((index) => unordered[index]!)
      return { columns: columns.map(({ values }) => Float64Array.from(values)), goals: columns.map(({ goal }) => goal) }
    })
