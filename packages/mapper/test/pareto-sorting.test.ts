import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { comparisonArgsort, DominanceWindow, groupRowsByKeys, stableArgsort } from "../src/pareto/index.ts"

/** Keys as the pruner produces them: no NaN, and -0 already folded into +0. */
const sortKey = fc
  .oneof(
    fc.integer({ min: -5, max: 5 }),
    fc.double({ noNaN: true }),
    fc.constantFrom(Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, 0.1, 0.2)
  )
  .map((key) => key + 0)

const arrayOfLength = <T>(element: fc.Arbitrary<T>, length: fc.Arbitrary<number>): fc.Arbitrary<Array<T>> =>
  length.chain((exactLength) => fc.array(element, { minLength: exactLength, maxLength: exactLength }))

const isStablySorted = (keys: Float64Array, order: Int32Array): boolean =>
  order.every((position, rank) => {
    if (rank === 0) return true
    const previous = order[rank - 1]!
    return keys[previous]! < keys[position]! || (keys[previous] === keys[position] && previous < position)
  })

describe("stableArgsort", () => {
  it("sorts ascending and keeps equal keys in order, on both sides of the radix threshold", () => {
    fc.assert(
      fc.property(arrayOfLength(sortKey, fc.integer({ min: 0, max: 1200 })), (numbers) => {
        const keys = Float64Array.from(numbers)
        const order = stableArgsort(keys)
        expect(Array.from(order).sort((a, b) => a - b)).toEqual(numbers.map((_, index) => index))
        expect(isStablySorted(keys, order)).toBe(true)
        expect(Array.from(order)).toEqual(Array.from(comparisonArgsort(keys)))
      }),
      { numRuns: 150 }
    )
  })

  it("sorts a subarray view by its own elements", () => {
    const buffer = Float64Array.from({ length: 700 }, (_, index) => (index * 7919) % 300)
    const keys = buffer.subarray(100, 650)
    expect(isStablySorted(keys, stableArgsort(keys))).toBe(true)
  })
})

describe("groupRowsByKeys", () => {
  it("puts rows in one group exactly when all their keys are equal, ascending within a group, groups in order of their first row", () => {
    const keyColumns = fc.integer({ min: 0, max: 300 }).chain((rowCount) =>
      fc.array(fc.array(fc.oneof(fc.integer({ min: -1, max: 2 }), fc.constantFrom(-0, 0.5, 1e300)), { minLength: rowCount, maxLength: rowCount }), {
        minLength: 1,
        maxLength: 3
      })
    )
    fc.assert(
      fc.property(keyColumns, (columns) => {
        const rowCount = columns[0]!.length
        const { rows, offsets } = groupRowsByKeys(columns.map((column) => Float64Array.from(column)), rowCount)
        const keyOf = (row: number) => columns.map((column) => column[row]! + 0).join("|")
        const seenKeys = new Set<string>()
        expect(Array.from(rows).sort((a, b) => a - b)).toEqual(Array.from({ length: rowCount }, (_, row) => row))
        // The groups' order is their tuples' order of first appearance (the fronts' keep order follows it).
        const firstRows = Array.from(offsets.subarray(0, -1), (offset) => rows[offset]!)
        expect(firstRows).toEqual([...firstRows].sort((a, b) => a - b))
        for (let group = 0; group + 1 < offsets.length; group++) {
          const members = Array.from(rows.subarray(offsets[group]!, offsets[group + 1]!))
          expect(members.length).toBeGreaterThan(0)
          expect(members).toEqual([...members].sort((a, b) => a - b))
          const key = keyOf(members[0]!)
          expect(members.every((row) => keyOf(row) === key)).toBe(true)
          expect(seenKeys.has(key)).toBe(false)
          seenKeys.add(key)
        }
      }),
      { numRuns: 150, seed: 29 }
    )
  })
})

describe("DominanceWindow", () => {
  it("answers like a linear scan over its members", () => {
    const vector = fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 3, maxLength: 3 })
    fc.assert(
      fc.property(fc.array(vector, { maxLength: 120 }), fc.array(vector, { minLength: 1, maxLength: 20 }), (members, queries) => {
        const window = new DominanceWindow(3)
        for (const member of members) window.add(Float64Array.from(member))
        for (const query of queries) {
          const expected = members.some((member) => member.every((value, column) => value <= query[column]!))
          expect(window.isWeaklyDominated(Float64Array.from(query))).toBe(expected)
        }
      }),
      { numRuns: 200 }
    )
  })
})
