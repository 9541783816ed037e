/**
 * `min_usage` with "best effort" (FFM §11 D), for one spatial dimension: the rows whose usage
 * reaches it, or, when none does, the rows at the best usage there is. Over typed arrays, with
 * no closure per row: the search applies it to millions of rows.
 */
const SLACK = 1e-9

/** Which usages stay: those reaching `threshold`, else (none reaches) those equal to it, the best. */
export interface MinUsageCut {
  /** Every usage reaches it: every row stays, no need to filter. */
  readonly all: boolean
  readonly reaching: boolean
  readonly threshold: number
}

/** The cut of `count` usages (`usage[0..count)`) at `minUsage`. */
export const bestEffortCut = (usage: Float64Array, count: number, minUsage: number): MinUsageCut => {
  const reach = minUsage - SLACK
  let reaching = 0
  let best = -Infinity
  for (let r = 0; r < count; r++) {
    const u = usage[r]!
    if (reachesMinUsage(u, minUsage)) reaching++
    if (u > best) best = u
  }
  return { all: reaching === count, reaching: reaching > 0, threshold: reaching > 0 ? reach : best }
}

/**
 * Whether `used` instances of a dimension of `fanout` reach `minUsage`: the test of the cut,
 * also for the enumeration's candidates (enumerate-tiles.ts), so that rows it lets through are
 * exactly the rows the cut would call reaching.
 */
export const reachesMinUsage = (usage: number, minUsage: number): boolean => usage >= minUsage - SLACK

export const keepsUsage = (cut: MinUsageCut, u: number): boolean => (cut.reaching ? u >= cut.threshold : u === cut.threshold)

/**
 * The usage below which a row appended to a pass is dropped by the pass's cut (`bestEffortCut`
 * of all its rows) whatever rows come after, so it need not be checked nor appended. The cut
 * keeps the rows that reach `minUsage` or, when none does, those at the best usage of all. A
 * row that does not reach and is below some row already in the pass is dropped either way: if
 * some row reaches in the end, it does not; if none does, the best is at least that row's
 * usage, above its own. (`reachesMinUsage` is monotone, so an upper bound of a set of rows'
 * usages decides the whole set.)
 */
export class BestEffortFloor {
  private readonly minUsage: number
  private best = -Infinity
  constructor(minUsage: number) {
    this.minUsage = minUsage
  }
  /** Whether rows of at most this usage are all cut, whatever rows come after. */
  cuts(usage: number): boolean {
    return usage < this.best && !reachesMinUsage(usage, this.minUsage)
  }
  /** Takes in a row of the pass. */
  add(usage: number): void {
    if (usage > this.best) this.best = usage
  }
}
