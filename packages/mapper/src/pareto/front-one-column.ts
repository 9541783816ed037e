/**
 * Front of one group on a single objective: the rows at the minimum. They all compare equal,
 * so "distinct" keeps only the first of them.
 */
export const keepFirstMinimum = (column: Float64Array, rows: Int32Array, keep: Uint8Array): void => {
  let bestRow = rows[0]!
  let bestValue = column[bestRow]!
  for (let position = 1; position < rows.length; position++) {
    const row = rows[position]!
    const value = column[row]!
    if (value < bestValue) {
      bestValue = value
      bestRow = row
    }
  }
  keep[bestRow] = 1
}
