/**
 * `min_usage` with "best effort" (FFM §11 D), for one spatial dimension: the rows whose usage
 * reaches it, or, when none does, the rows at the best usage there is.
 */
export const bestEffortMinUsage = (rows: ReadonlyArray<number>, usageOf: (row: number) => number, minUsage: number): Array<number> => {
  const reaching = rows.filter((r) => usageOf(r) >= minUsage - 1e-9)
  if (reaching.length > 0) return reaching
  const best = rows.reduce((b, r) => Math.max(b, usageOf(r)), -Infinity)
  return rows.filter((r) => usageOf(r) === best)
}
