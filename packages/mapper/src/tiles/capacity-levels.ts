/**
 * The capacity rule of one enumeration step as levels of its chains, so a row's candidate list
 * (chain-step.ts) leaves out, as a set, the chains that overflow a memory, instead of each
 * candidate adding up the memory's occupancy only to fail (three quarters of the candidates
 * on eyeriss's GPT-3 prefill).
 *
 * A memory holds `base + Σ_s rowFactor_s × ownPart_s[c]` for the row's chain c, summed in that
 * order (chain-step.ts's `passes`): `base` and each `rowFactor_s` fixed by the row, each
 * `ownPart_s[c]` (a product of the chain's own tiles' powers, positive) fixed by the chain.
 * - A memory with no monomial of the step's loops holds `base` whatever the chain: decided once
 *   per row.
 * - A memory with one, of a coefficient (hence `rowFactor`) at least 0, holds
 *   `base + rowFactor × o`, non-decreasing in o in floating point too (`fl(rowFactor × o)` and
 *   `fl(base + x)` are, rounding being monotone). So the chains it admits are those whose `o` is
 *   among the lowest few distinct values (levels) of the step's chains: how many, a row finds
 *   by bisection on the very expression the per-candidate test computes, and the row's list
 *   holds the chains below that level.
 * - Any other memory (several monomials, or a negative coefficient) is summed per candidate.
 *   Leveling each of several monomials would be sound (every term at least 0 only adds), but
 *   it multiplies the lists a step builds: on eyeriss 6.7B prefill, 3.6 M chains looked at to
 *   build lists against 1.4 M sums saved.
 */

/** Distinct values of `values[offset + c]` over `chains`, ascending; each chain's index among them into `levelOf` from `levelOffset`. */
export const levelsOf = (values: Float64Array, offset: number, chains: Int32Array, levelOf: Int32Array, levelOffset: number): Float64Array => {
  // Insertion into a sorted list of the distinct values: a step's chains share a few dozen
  // values at most, so this beats sorting them all (a tenth of a search's step set-up).
  if (sorted.length < chains.length) sorted = new Float64Array(chains.length)
  let n = 0
  for (let x = 0; x < chains.length; x++) {
    const value = values[offset + chains[x]!]!
    const at = lowerBound(sorted, n, value)
    if (at < n && sorted[at] === value) continue
    sorted.copyWithin(at + 1, at, n)
    sorted[at] = value
    n++
  }
  const levels = sorted.slice(0, n)
  for (let x = 0; x < chains.length; x++) {
    const c = chains[x]!
    levelOf[levelOffset + c] = lowerBound(levels, n, values[offset + c]!)
  }
  return levels
}

/** Scratch of `levelsOf`. */
let sorted = new Float64Array(256)

/** The first of `sorted[0..n)` not below `value`. */
const lowerBound = (sorted: Float64Array, n: number, value: number): number => {
  let lo = 0
  let hi = n
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]! < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

export class CapacityLevels {
  /** The monomials (indices into the step's split monomials) whose levels list the chains. */
  private readonly leveled: Int32Array
  /** Per leveled monomial: its memory (the only monomial of the step's loops there). */
  private readonly memoryOf: Int32Array
  /** Per leveled monomial: its own parts' distinct values over the live chains, ascending. */
  private readonly levels: ReadonlyArray<Float64Array>
  /** Per leveled monomial and chain (`monomial × nChains + chain`): its level. */
  private readonly levelOf: Int32Array
  /** Memories decided per row (no monomial of the step's loops). */
  private readonly rowOnly: Int32Array
  /** Memories the per-candidate sum must still check, ascending. */
  readonly summed: Int32Array
  /** Number of distinct keys `rowKey` returns. */
  readonly keySpace: number
  /** Per leveled monomial: the number of its levels the row's chains may have (set by `rowKey`). */
  private readonly passing: Int32Array
  private readonly nChains: number

  /**
   * `splitStart`: each memory's split monomials (`splitStart[m]..splitStart[m+1]`); `ownPart`:
   * per split monomial and chain. Memories are leveled in order while the key space stays within
   * `maxKeySpace` (0: none is, all are summed).
   */
  constructor(splitStart: Int32Array, splitCoef: Float64Array, ownPart: Float64Array, nChains: number, live: Int32Array, maxKeySpace: number) {
    this.nChains = nChains
    const memories = splitStart.length - 1
    const leveled: Array<number> = []
    const memoryOf: Array<number> = []
    const rowOnly: Array<number> = []
    const summed: Array<number> = []
    const levels: Array<Float64Array> = []
    // Row a (`a × nChains`) for the a-th leveled monomial.
    const levelOf = new Int32Array(memories * nChains)
    let keySpace = 1
    for (let m = 0; m < memories; m++) {
      const from = splitStart[m]!
      const to = splitStart[m + 1]!
      if (from === to) {
        rowOnly.push(m)
        continue
      }
      if (to - from > 1 || splitCoef[from]! < 0 || maxKeySpace < 1) {
        summed.push(m)
        continue
      }
      const own = levelsOf(ownPart, from * nChains, live, levelOf, leveled.length * nChains)
      const space = keySpace * Math.max(1, own.length)
      if (space > maxKeySpace) {
        summed.push(m)
        continue
      }
      keySpace = space
      leveled.push(from)
      memoryOf.push(m)
      levels.push(own)
    }
    this.leveled = Int32Array.from(leveled)
    this.memoryOf = Int32Array.from(memoryOf)
    this.levels = levels
    this.levelOf = levelOf
    this.rowOnly = Int32Array.from(rowOnly)
    this.summed = Int32Array.from(summed)
    this.keySpace = keySpace
    this.passing = new Int32Array(leveled.length)
  }

  /**
   * The row's key (below `keySpace`) naming how many levels of each leveled monomial pass, or -1
   * when no chain can pass (a memory overflows whatever the chain). `base` and `rowFactor` are
   * the row's (chain-step.ts's `setRow`); `limit` each memory's size with the rule's tolerance.
   */
  rowKey(base: Float64Array, rowFactor: Float64Array, limit: Float64Array): number {
    for (let x = 0; x < this.rowOnly.length; x++) {
      const m = this.rowOnly[x]!
      if (base[m]! > limit[m]!) return -1
    }
    let key = 0
    for (let a = 0; a < this.leveled.length; a++) {
      const m = this.memoryOf[a]!
      const levels = this.levels[a]!
      const b = base[m]!
      const f = rowFactor[this.leveled[a]!]!
      const size = limit[m]!
      // The first level that overflows, by the per-candidate test's own expression.
      let lo = 0
      let hi = levels.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (b + f * levels[mid]! > size) hi = mid
        else lo = mid + 1
      }
      if (lo === 0) return -1
      this.passing[a] = lo
      key = key * levels.length + (lo - 1)
    }
    return key
  }

  /** Whether chain `c` is within the levels passing for the row of the last `rowKey`. */
  admits(c: number): boolean {
    for (let a = 0; a < this.leveled.length; a++) if (this.levelOf[a * this.nChains + c]! >= this.passing[a]!) return false
    return true
  }
}
