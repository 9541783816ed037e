/**
 * The narrow beam's group cut (beam-join.ts): after a join step, only the `count` groups whose
 * best row has the lowest bound (join-bound.ts: the least any completion of it can reach) are
 * joined on. Cheap to join (a few hundred groups a step, not tens of thousands), and on
 * two_level × transformer_block its complete mappings already include the optimum: as the
 * full join's bound, it lets it drop far more groups than the unfused best-so-far would.
 */
import { loopNest } from "./compatibility-join.ts"
import type { StepBound } from "./join-bound.ts"
import type { JoinGroup } from "./join-group.ts"

/** The lowest bound of any row of the group. */
const bestRowBound = (group: JoinGroup, bound: StepBound, values: Float64Array): number => {
  const open = loopNest(group.compatibility)
  let best = Infinity
  for (let r = 0; r < group.rows; r++) {
    for (let c = 0; c < values.length; c++) values[c] = group.objectives[c]![r]!
    const low = bound.lowest(values, open)
    if (low < best) best = low
  }
  return best
}

/**
 * The `count` groups with the lowest best-row bound, ties in the given order, the kept ones in
 * the given order too (as the join made them); `onCut` is called when some are left out.
 */
export const bestGroups = (count: number, onCut: () => void) =>
(groups: ReadonlyArray<JoinGroup>, bound: StepBound): ReadonlyArray<JoinGroup> => {
  if (groups.length <= count) return groups
  onCut()
  const values = new Float64Array(groups[0]!.objectives.length)
  const scores = Float64Array.from(groups, (g) => bestRowBound(g, bound, values))
  const order = Array.from(groups.keys()).sort((x, y) => scores[x]! - scores[y]! || x - y)
  return order.slice(0, count).sort((x, y) => x - y).map((i) => groups[i]!)
}
