import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { countDivisorChains, divisorChains, divisors } from "../src/index.ts"

const chainsOf = (bound: number, loops: number): Array<Array<number>> => {
  const flat = divisorChains(bound, loops)
  return Array.from({ length: flat.length / Math.max(1, loops) }, (_, i) => Array.from(flat.subarray(i * loops, (i + 1) * loops)))
}

describe("divisor chains", () => {
  it("divisors ascend and divide", () => {
    expect(divisors(12)).toEqual([1, 2, 3, 4, 6, 12])
    expect(divisors(1)).toEqual([1])
    expect(divisors(49)).toEqual([1, 7, 49])
  })

  it("one loop is pinned to tile 1; two loops take every divisor outside", () => {
    expect(chainsOf(8, 1)).toEqual([[1]])
    expect(chainsOf(6, 2)).toEqual([[1, 1], [2, 1], [3, 1], [6, 1]])
  })

  it("every chain divides down to 1, all chains are distinct, and the count matches", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 360 }), fc.integer({ min: 1, max: 4 }), (bound, loops) => {
        const chains = chainsOf(bound, loops)
        for (const chain of chains) {
          expect(chain[loops - 1]).toBe(1)
          let outer = bound
          for (const t of chain) {
            expect(outer % t).toBe(0)
            outer = t
          }
        }
        expect(new Set(chains.map((c) => c.join(","))).size).toBe(chains.length)
        expect(countDivisorChains(bound, loops)).toBe(chains.length)
      })
    )
  })

  it("brute-force count of non-increasing divisor chains agrees", () => {
    const brute = (bound: number, loops: number): number => {
      if (loops === 1) return 1
      return divisors(bound).reduce((s, d) => s + brute(d, loops - 1), 0)
    }
    for (const bound of [1, 2, 12, 64, 100]) for (const loops of [1, 2, 3]) expect(chainsOf(bound, loops).length).toBe(brute(bound, loops))
  })
})
