/**
 * Growable arrays' bulk appends (a merge of parts' groups, group-accumulator.ts `addGroup`) and
 * gathers (a group's kept rows) hold the values one `push` per value and one read per row would:
 * columns of zeros (kept as a count, +0 only) and -0 included.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { GrowableF64, GrowableI32 } from "../src/generate/growable-array.ts"

/** Values a column holds: mostly +0 (an overlap mode's untouched columns), some -0 and others. */
const value = fc.oneof(fc.constant(0), fc.constant(0), fc.constant(-0), fc.double({ noNaN: true }))
const chunks = fc.array(fc.array(value, { maxLength: 40 }), { maxLength: 6 })

/** The values, -0 told apart from +0. */
const signed = (values: Iterable<number>): Array<number | string> => [...values].map((v) => (Object.is(v, -0) ? "-0" : v))

describe("growable arrays in bulk", () => {
  it("pushAll of ranges of chunks holds what push of each value holds", () => {
    fc.assert(fc.property(chunks, fc.nat(), (parts, cut) => {
      const bulk = new GrowableF64()
      const one = new GrowableF64()
      for (const part of parts) {
        const values = Float64Array.from(part)
        const from = cut % (part.length + 1)
        bulk.pushAll(values, from, values.length)
        for (let k = from; k < values.length; k++) one.push(values[k]!)
      }
      expect(bulk.length).toBe(one.length)
      expect(signed(bulk.view())).toEqual(signed(one.view()))
    }), { seed: 29, numRuns: 300 })
  })

  it("gather reads the rows asked for, in their order", () => {
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 60 }), fc.array(fc.nat(), { maxLength: 30 }), (values, picks) => {
      const column = new GrowableF64()
      const ints = new GrowableI32()
      for (const v of values) column.push(v)
      for (let k = 0; k < values.length; k++) ints.push(k * 3 - 7)
      const rows = Int32Array.from(picks, (p) => p % values.length)
      const all = column.view()
      expect(signed(column.gather(rows))).toEqual(signed(Array.from(rows, (r) => all[r]!)))
      expect([...ints.gather(rows)]).toEqual(Array.from(rows, (r) => r * 3 - 7))
    }), { seed: 29, numRuns: 300 })
  })

  it("an Int32 pushAll with an offset adds it to every value", () => {
    fc.assert(fc.property(fc.array(fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 40 }), { maxLength: 6 }), fc.integer({ min: -50, max: 50 }), (parts, add) => {
      const bulk = new GrowableI32()
      const one = new GrowableI32()
      for (const part of parts) {
        bulk.pushAll(Int32Array.from(part), 0, part.length, add)
        for (const v of part) one.push(v + add)
      }
      expect([...bulk.view()]).toEqual([...one.view()])
    }), { seed: 29, numRuns: 300 })
  })
})
