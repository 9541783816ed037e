/**
 * The last few symbolic sums and products, by their operands' identity. The analysis often
 * applies one operation to a value held twice (a count and its maximum start equal and see the
 * same loops: they are one object), so the second time returns the first result, which is
 * then held twice in turn. Polynomials are immutable and the operations deterministic, so a
 * result found here is the one computing it again would give.
 * (Operands are compared with `===`: `0` and `-0` give the same sums and products.)
 */
/** Results remembered: enough for the operations between a value's two uses (measured: 8 find 67% of a template's, 16 hardly more). */
const SIZE = 8

export class RecentResults<R> {
  private readonly left: Array<unknown> = new Array(SIZE).fill(undefined)
  private readonly right: Array<unknown> = new Array(SIZE).fill(undefined)
  private readonly result: Array<R | undefined> = new Array(SIZE).fill(undefined)
  private next = 0
  find(a: unknown, b: unknown): R | undefined {
    for (let i = 0; i < SIZE; i++) if (this.left[i] === a && this.right[i] === b) return this.result[i]
    return undefined
  }
  keep(a: unknown, b: unknown, result: R): R {
    const i = this.next
    this.left[i] = a
    this.right[i] = b
    this.result[i] = result
    this.next = (i + 1) % SIZE
    return result
  }
}
