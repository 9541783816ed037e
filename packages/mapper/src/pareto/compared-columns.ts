import type { Goal, ParetoOptions } from "./goal.ts"
import { multiRound } from "./rounding.ts"

/** The columns as the pruner compares them, split by role. */
export interface ComparedColumns {
  readonly rowCount: number
  /** Rounded, oriented so that smaller is better; only those not constant over all rows. */
  readonly objectives: ReadonlyArray<Float64Array>
  /** Partition keys, unrounded; only those not constant over all rows. */
  readonly partitionKeys: ReadonlyArray<Float64Array>
}

/** Throws a `RangeError` when the columns and goals do not describe one table. */
export const tableRowCount = (columns: ReadonlyArray<Float64Array>, goals: ReadonlyArray<Goal>): number => {
  if (goals.length !== columns.length) {
    throw new RangeError(`expected one goal per column: ${columns.length} columns, ${goals.length} goals`)
  }
  const rowCount = columns[0]?.length ?? 0
  columns.forEach((column, index) => {
    if (column.length !== rowCount) {
      throw new RangeError(`column ${index} has ${column.length} rows, column 0 has ${rowCount}`)
    }
  })
  return rowCount
}

/**
 * The objective as compared: rounded to its tolerances, negated for `"max"`, and with `-0`
 * folded into `+0` (`x + 0`), because the sorts order values by their bits while the
 * comparisons treat the two zeros as equal. An exact `"min"` column without `-0` is compared
 * as it is (no copy: the join prunes millions of rows); callers never write to the result.
 */
export const comparedObjective = (
  column: Float64Array,
  goal: "min" | "max",
  relativeTolerance: number,
  absoluteTolerance: number
): Float64Array => {
  if (goal === "min" && relativeTolerance === 0 && absoluteTolerance === 0 && !hasNegativeZero(column)) return column
  const compared = multiRound(column, relativeTolerance, absoluteTolerance)
  const sign = goal === "max" ? -1 : 1
  for (let row = 0; row < compared.length; row++) compared[row] = sign * compared[row]! + 0
  return compared
}

const hasNegativeZero = (column: Float64Array): boolean => {
  for (let row = 0; row < column.length; row++) if (column[row] === 0 && Object.is(column[row], -0)) return true
  return false
}

export const isConstant = (column: Float64Array): boolean => {
  for (let row = 1; row < column.length; row++) if (column[row] !== column[0]) return false
  return true
}

export const comparedColumns = (
  columns: ReadonlyArray<Float64Array>,
  goals: ReadonlyArray<Goal>,
  options: ParetoOptions
): ComparedColumns => {
  const rowCount = tableRowCount(columns, goals)
  const objectives: Array<Float64Array> = []
  const partitionKeys: Array<Float64Array> = []
  columns.forEach((column, index) => {
    const goal = goals[index]!
    if (goal === "diff") {
      if (!isConstant(column)) partitionKeys.push(column)
      return
    }
    const objective = comparedObjective(
      column,
      goal,
      options.relativeTolerance?.[index] ?? 0,
      options.absoluteTolerance?.[index] ?? 0
    )
    if (!isConstant(objective)) objectives.push(objective)
  })
  return { rowCount, objectives, partitionKeys }
}
