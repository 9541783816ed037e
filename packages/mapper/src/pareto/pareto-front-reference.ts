import { comparedObjective, tableRowCount } from "./compared-columns.ts"
import { dominates } from "./dominance.ts"
import type { Goal, ParetoOptions } from "./goal.ts"

/**
 * Quadratic reference for `paretoFront`, written to be obviously right rather than fast: the
 * tests check the fast version against it. Same semantics, straight from the definition: a row
 * is kept unless a row of its group dominates it or an earlier row of its group equals it.
 */
export const paretoFrontReference = (
  columns: ReadonlyArray<Float64Array>,
  goals: ReadonlyArray<Goal>,
  options: ParetoOptions = {}
): Int32Array => {
  const rowCount = tableRowCount(columns, goals)
  const keyColumns = columns.filter((_, index) => goals[index] === "diff")
  const objectiveColumns: Array<Float64Array> = []
  columns.forEach((column, index) => {
    const goal = goals[index]!
    if (goal === "diff") return
    const relative = options.relativeTolerance?.[index] ?? 0
    const absolute = options.absoluteTolerance?.[index] ?? 0
    objectiveColumns.push(comparedObjective(column, goal, relative, absolute))
  })
  const keyOf = (row: number): Array<number> => keyColumns.map((column) => column[row]!)
  const objectivesOf = (row: number): Array<number> => objectiveColumns.map((column) => column[row]!)
  const sameValues = (a: Array<number>, b: Array<number>): boolean => a.every((value, index) => value === b[index])

  const kept: Array<number> = []
  for (let row = 0; row < rowCount; row++) {
    let isKept = true
    for (let other = 0; other < rowCount; other++) {
      if (other === row || !sameValues(keyOf(other), keyOf(row))) continue
      const isDominated = dominates(objectivesOf(other), objectivesOf(row))
      const isLaterDuplicate = other < row && sameValues(objectivesOf(other), objectivesOf(row))
      if (isDominated || isLaterDuplicate) {
        isKept = false
        break
      }
    }
    if (isKept) kept.push(row)
  }
  return Int32Array.from(kept)
}
