/**
 * Front of a small group by comparing every pair of rows directly. For a handful of rows this
 * beats sorting (no allocations), and constant columns need not be filtered out first.
 * A row is dropped when another row dominates it or an earlier row equals it.
 */
export const keepFrontByPairwiseComparison = (
  columns: ReadonlyArray<Float64Array>,
  rows: Int32Array,
  keep: Uint8Array
): void => {
  for (let position = 0; position < rows.length; position++) {
    const row = rows[position]!
    let isKept = true
    for (let otherPosition = 0; otherPosition < rows.length && isKept; otherPosition++) {
      if (otherPosition === position) continue
      const comparison = compareRows(columns, rows[otherPosition]!, row)
      // `rows` is ascending, so an earlier position is an earlier row.
      if (comparison === DOMINATES || (comparison === EQUAL && otherPosition < position)) isKept = false
    }
    if (isKept) keep[row] = 1
  }
}

const DOMINATES = 0
const EQUAL = 1
const NEITHER = 2

/** How row `a` relates to row `b`: dominates it, equals it, or neither. */
const compareRows = (columns: ReadonlyArray<Float64Array>, a: number, b: number): number => {
  let strictlyBetterSomewhere = false
  for (let column = 0; column < columns.length; column++) {
    const values = columns[column]!
    const left = values[a]!
    const right = values[b]!
    if (left > right) return NEITHER
    if (left < right) strictlyBetterSomewhere = true
  }
  return strictlyBetterSomewhere ? DOMINATES : EQUAL
}
