const BLOCK_SIZE = 16
const INITIAL_CAPACITY = 64

/**
 * The growing set of front vectors of the sort-filter-skyline pass, answering "is this
 * candidate weakly dominated by some member?" without scanning every member.
 *
 * Members are stored row-major and grouped in blocks of 16 with per-block column minima: a
 * block whose minimum exceeds the candidate in some column holds no member `≤` the candidate
 * there, so the block is skipped. The window-wide minima give an even cheaper exit: a candidate
 * strictly below all members in some column cannot be dominated at all.
 * Members are never removed, which is why the caller feeds candidates in a dominance-compatible
 * order.
 */
export class DominanceWindow {
  readonly width: number
  size = 0
  private members: Float64Array
  private blockMinima: Float64Array
  private readonly windowMinima: Float64Array
  /** The member that dominated the last dominated candidate: sorted candidates come in runs with one dominator. */
  private lastDominator = -1

  /** `expectedSize` only sizes the first allocation; the window grows as needed. */
  constructor(width: number, expectedSize = INITIAL_CAPACITY) {
    this.width = width
    const capacity = BLOCK_SIZE * Math.max(1, Math.ceil(Math.min(expectedSize, INITIAL_CAPACITY) / BLOCK_SIZE))
    this.members = new Float64Array(capacity * width)
    this.blockMinima = new Float64Array((capacity / BLOCK_SIZE) * width).fill(Infinity)
    this.windowMinima = new Float64Array(width).fill(Infinity)
  }

  /** Whether some member is `≤` the candidate in every column. */
  isWeaklyDominated(candidate: Float64Array): boolean {
    const width = this.width
    for (let column = 0; column < width; column++) {
      if (candidate[column]! < this.windowMinima[column]!) return false
    }
    const members = this.members
    if (this.lastDominator >= 0 && this.memberDominates(this.lastDominator, candidate)) return true
    const blockMinima = this.blockMinima
    const blockCount = Math.ceil(this.size / BLOCK_SIZE)
    for (let block = 0; block < blockCount; block++) {
      if (!this.blockMayDominate(blockMinima, block, candidate)) continue
      const end = Math.min(this.size, (block + 1) * BLOCK_SIZE)
      // The same test as memberDominates, written out: calling it here made the whole tile
      // search about 25% slower (tpu_v4i GPT-3 V, first 20 templates: 70 s instead of 56 s).
      for (let member = block * BLOCK_SIZE; member < end; member++) {
        const offset = member * width
        let column = 0
        while (column < width && members[offset + column]! <= candidate[column]!) column++
        if (column === width) {
          this.lastDominator = member
          return true
        }
      }
    }
    return false
  }

  add(candidate: Float64Array): void {
    const width = this.width
    if ((this.size + 1) * width > this.members.length) this.grow()
    const offset = this.size * width
    const blockOffset = Math.floor(this.size / BLOCK_SIZE) * width
    for (let column = 0; column < width; column++) {
      const value = candidate[column]!
      this.members[offset + column] = value
      if (value < this.blockMinima[blockOffset + column]!) this.blockMinima[blockOffset + column] = value
      if (value < this.windowMinima[column]!) this.windowMinima[column] = value
    }
    this.size++
  }

  private memberDominates(member: number, candidate: Float64Array): boolean {
    const offset = member * this.width
    for (let column = 0; column < this.width; column++) {
      if (this.members[offset + column]! > candidate[column]!) return false
    }
    return true
  }

  private blockMayDominate(blockMinima: Float64Array, block: number, candidate: Float64Array): boolean {
    const offset = block * this.width
    for (let column = 0; column < this.width; column++) {
      if (blockMinima[offset + column]! > candidate[column]!) return false
    }
    return true
  }

  private grow(): void {
    const members = new Float64Array(this.members.length * 2)
    members.set(this.members)
    this.members = members
    const blockMinima = new Float64Array(this.blockMinima.length * 2).fill(Infinity)
    blockMinima.set(this.blockMinima)
    this.blockMinima = blockMinima
  }
}
