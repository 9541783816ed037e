import { stableArgsort } from "./argsort.ts"

/**
 * Positions into `rows`, sorted by the columns lexicographically, then by position: a stable
 * LSD pass per column, last column first. Every row comes after the rows that dominate or
 * duplicate it (a dominating row is lexicographically smaller), and the first column never
 * decreases, which the staircase sweeps rely on. Values must not be NaN or `-0`.
 */
export const lexicographicOrder = (columns: ReadonlyArray<Float64Array>, rows: Int32Array): Int32Array => {
  let order = new Int32Array(rows.length)
  for (let position = 0; position < rows.length; position++) order[position] = position
  const keys = new Float64Array(rows.length)
  const next = new Int32Array(rows.length)
  for (let c = columns.length - 1; c >= 0; c--) {
    const column = columns[c]!
    for (let rank = 0; rank < order.length; rank++) keys[rank] = column[rows[order[rank]!]!]!
    const permutation = stableArgsort(keys)
    for (let rank = 0; rank < order.length; rank++) next[rank] = order[permutation[rank]!]!
    order.set(next)
  }
  return order
}
