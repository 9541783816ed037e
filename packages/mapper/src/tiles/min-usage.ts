/**
 * `min_usage` with "best effort" (FFM §11 D), for one spatial dimension: the rows whose usage
 * reaches it, or, when none does, the rows at the best usage there is.
 */
const SLACK = 1e-9

export const bestEffortMinUsage = (rows: ReadonlyArray<number>, usageOf: (row: number) => number, minUsage: number): Array<number> => {
  const usage = Float64Array.from(rows, usageOf)
  const cut = bestEffortCut(usage, usage.length, minUsage)
  return rows.filter((_, i) => cut.keeps(usage[i]!))
}

/** The same rule over `count` usages in a typed array: which usages stay, and whether all do. */
export const bestEffortCut = (usage: Float64Array, count: number, minUsage: number): { readonly all: boolean; readonly keeps: (u: number) => boolean } => {
  const reach = minUsage - SLACK
  let reaching = 0
  let best = -Infinity
  for (let r = 0; r < count; r++) {
    const u = usage[r]!
    if (u >= reach) reaching++
    if (u > best) best = u
  }
  return { all: reaching === count, keeps: reaching > 0 ? (u) => u >= reach : (u) => u === best }
}
