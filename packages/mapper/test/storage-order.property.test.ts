/**
 * storageOrders (a "must stay below" bitmask per slot, asked once per pair) against
 * storageOrdersByRules (the rules asked at every prefix): the same orders in the same sequence,
 * on random slots, facts and order options.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { EinsumFacts } from "../src/template/einsum-facts.ts"
import { type OrderOptions, storageOrders, storageOrdersByRules } from "../src/template/storage-order.ts"
import type { StorageSlot } from "../src/template/template.ts"

// CPU-bound properties with fixed seeds and run counts: no wall-clock limit.
const SEED = 2701
const TENSORS = ["A", "B", "C", "D"]
const LEVELS = 4

const slotArbitrary: fc.Arbitrary<StorageSlot> = fc.record({
  level: fc.integer({ min: 0, max: LEVELS - 1 }),
  tensor: fc.constantFrom(...TENSORS),
  backing: fc.boolean(),
  persistent: fc.boolean(),
  mustKeep: fc.boolean()
}).map((s) => ({ kind: "storage", component: `M${s.level}`, toll: false, ...s }))

const caseArbitrary = fc.record({
  slots: fc.array(slotArbitrary, { maxLength: 7 }),
  fusable: fc.subarray(TENSORS),
  persistent: fc.subarray(TENSORS),
  isCopy: fc.boolean(),
  force: fc.boolean(),
  firstMemoryLevel: fc.integer({ min: 0, max: LEVELS - 1 }),
  fanout: fc.array(fc.constantFrom(1, 2, 4), { minLength: LEVELS, maxLength: LEVELS }),
  levelForcesOrder: fc.array(fc.boolean(), { minLength: LEVELS, maxLength: LEVELS }),
  aboveFirst: fc.array(fc.boolean(), { minLength: LEVELS, maxLength: LEVELS })
})

describe("storage-node orders", () => {
  it("the bitmask enumeration yields the orders the rules yield, in the same sequence", () => {
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const facts: EinsumFacts = {
          name: "E", rankVariables: [], tensors: TENSORS, relevancy: () => { throw new Error("not asked") },
          fusable: new Set(c.fusable), persistent: new Set(c.persistent), isCopy: c.isCopy
        }
        // Fanouts only grow going down the arch.
        let product = 1
        const cumulativeFanout = c.fanout.map((f) => (product *= f))
        const options: OrderOptions = {
          forceMemoryHierarchyOrder: c.force, firstMemoryLevel: c.firstMemoryLevel, cumulativeFanout,
          levelForcesOrder: c.levelForcesOrder, aboveFirst: c.aboveFirst
        }
        const indices = (orders: Iterable<ReadonlyArray<StorageSlot>>) => [...orders].map((o) => o.map((s) => c.slots.indexOf(s)))
        expect(indices(storageOrders(c.slots, facts, options))).toEqual(indices(storageOrdersByRules(c.slots, facts, options)))
      }),
      { seed: SEED, numRuns: 400 }
    )
  })
})
