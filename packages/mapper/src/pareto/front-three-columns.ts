import { lexicographicOrder } from "./lexicographic-order.ts"
import { Staircase } from "./staircase.ts"

/**
 * Front of one group on three objectives in O(n log n): rows in lexicographic order (every
 * row after those that dominate or duplicate it, the first column ascending), each kept
 * exactly when no kept row is `≤` it in the other two columns, which a staircase answers.
 * The quadratic window of the sorted filter made the join's large three-column fronts slow.
 */
export const keepThreeColumnFront = (
  first: Float64Array,
  second: Float64Array,
  third: Float64Array,
  rows: Int32Array,
  keep: Uint8Array
): void => {
  const order = lexicographicOrder([first, second, third], rows)
  const staircase = new Staircase()
  for (let rank = 0; rank < order.length; rank++) {
    const row = rows[order[rank]!]!
    const y = second[row]!
    const z = third[row]!
    if (staircase.covers(y, z)) continue
    staircase.add(y, z)
    keep[row] = 1
  }
}
