import { describe, expect, it } from "vitest"
import { keepFrontByPrefixBitsets } from "../src/pareto/front-prefix-bitsets.ts"
import { paretoFrontReference } from "../src/pareto/index.ts"

/** A fixed pseudo-random sequence in [0, 1) (a linear congruential generator: the test never changes). */
const sequence = (seed: number) => {
  let state = seed
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    return state / 2 ** 32
  }
}

const identity = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i)

const keptBy = (columns: ReadonlyArray<Float64Array>): { readonly done: boolean; readonly kept: Array<number> } => {
  const n = columns[0]!.length
  const keep = new Uint8Array(n)
  const done = keepFrontByPrefixBitsets(columns, identity(n), keep)
  return { done, kept: Array.from({ length: n }, (_, i) => i).filter((i) => keep[i] === 1) }
}

describe("keepFrontByPrefixBitsets", () => {
  it("keeps the reference's rows on a many-valued primary and few-valued other columns, copies included", () => {
    const next = sequence(17)
    const n = 700
    // Three- to five-valued columns as the join's reservation levels, and an energy-like primary
    // (with ties) that falls as they grow, so that many rows are on the front.
    const others = [
      Float64Array.from({ length: n }, () => Math.floor(next() * 3)),
      Float64Array.from({ length: n }, () => Math.floor(next() * 5) / 4),
      Float64Array.from({ length: n }, () => Math.floor(next() * 4)),
      Float64Array.from({ length: n }, () => (next() < 0.05 ? Infinity : Math.floor(next() * 3)))
    ]
    const primary = Float64Array.from({ length: n }, (_, r) => 40 * (12 - others.reduce((s, c) => s + Math.min(c[r]!, 3), 0)) + Math.floor(next() * 30))
    const columns = [primary, ...others]
    const { done, kept } = keptBy(columns)
    expect(done).toBe(true)
    expect(kept.length).toBeGreaterThan(32)
    expect(kept).toEqual(Array.from(paretoFrontReference(columns, columns.map(() => "min"))))
  })

  it("refuses (marks nothing) when the other columns take too many values", () => {
    const next = sequence(5)
    const n = 2000
    const columns = Array.from({ length: 4 }, () => Float64Array.from({ length: n }, () => next()))
    const { done, kept } = keptBy(columns)
    expect(done).toBe(false)
    expect(kept).toEqual([])
  })
})
