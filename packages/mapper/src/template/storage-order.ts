/**
 * Storage-node order (FFM §2.2-2.3): every order of one storage choice's nodes that breaks
 * none of the ordering rules, with Tolls then inserted where their tensor passes through.
 */
import type { ComputePath } from "@effect-accelforge/core"
import type { EinsumFacts } from "./einsum-facts.ts"
import type { LevelChoice } from "./storage-choices.ts"
import type { StorageSlot } from "./template.ts"

export interface OrderOptions {
  readonly forceMemoryHierarchyOrder: boolean
  readonly firstMemoryLevel: number
  /** Product of the spatial fanouts of every arch node at or above each level. */
  readonly cumulativeFanout: ReadonlyArray<number>
  /** Each level's own `tensors.force_memory_hierarchy_order`. */
  readonly levelForcesOrder: ReadonlyArray<boolean>
  /**
   * Per level: `prioritize_reuse_of_unfused_tensors` applies (the knob is on and the level gives
   * no `tensor_order_options`), i.e. the order option `[Above, ~Above]`.
   */
  readonly aboveFirst: ReadonlyArray<boolean>
}

export const cumulativeFanout = (arch: ComputePath): Array<number> => {
  let product = 1
  return arch.nodes.map((node) => {
    for (const s of node.spatial) product *= s.fanout
    return product
  })
}

/** One slot per (level, tensor) of the choice, memories and Tolls apart. */
export const slotsOf = (choice: ReadonlyArray<LevelChoice>, facts: EinsumFacts): { memories: Array<StorageSlot>; tolls: Array<StorageSlot> } => {
  const backingLevel = new Map<string, number>()
  for (const level of choice) {
    if (level.toll) continue
    for (const t of level.tensors) if (!backingLevel.has(t)) backingLevel.set(t, level.level)
  }
  const memories: Array<StorageSlot> = []
  const tolls: Array<StorageSlot> = []
  for (const level of choice) {
    for (const tensor of level.tensors) {
      const backing = !level.toll && backingLevel.get(tensor) === level.level
      const slot: StorageSlot = {
        kind: "storage", component: level.component, level: level.level, tensor, backing,
        persistent: backing && facts.persistent.has(tensor), toll: level.toll, mustKeep: level.mustKeep.has(tensor)
      }
      ;(level.toll ? tolls : memories).push(slot)
    }
  }
  return { memories, tolls }
}

const isTop = (s: StorageSlot, o: OrderOptions) => s.level === o.firstMemoryLevel || s.persistent

/** May `a` sit anywhere above `b`? (rules 1-5 of §2.2) */
const mayBeAbove = (a: StorageSlot, b: StorageSlot, facts: EinsumFacts, o: OrderOptions): boolean => {
  if (isTop(b, o) && !isTop(a, o)) return false
  if (a.level === o.firstMemoryLevel && b.level === o.firstMemoryLevel) return a.tensor < b.tensor
  // Order option [Above, ~Above]: a level's copies of tensors stored above sit over the tensors it backs.
  if (a.level === b.level && o.aboveFirst[a.level] && a.backing && !b.backing) return false
  const forced = (o.forceMemoryHierarchyOrder && o.levelForcesOrder[a.level] && o.levelForcesOrder[b.level] && !a.persistent && !b.persistent) ||
    (a.backing && facts.fusable.has(a.tensor))
  if (forced && a.level > b.level) return false
  if (a.tensor === b.tensor && a.level > b.level) return false
  return true
}

/** Rules 6-7, which look at neighbours: redundant copies and copy-Einsum adjacency. */
const wholeOrderValid = (order: ReadonlyArray<StorageSlot>, facts: EinsumFacts, o: OrderOptions): boolean => {
  for (let i = 0; i + 1 < order.length; i++) {
    const a = order[i]!
    const b = order[i + 1]!
    if (a.tensor === b.tensor && o.cumulativeFanout[a.level] === o.cumulativeFanout[b.level] && !a.mustKeep && !a.backing) return false
  }
  if (facts.isCopy) {
    const closed = new Set<string>()
    for (let i = 0; i < order.length; i++) {
      const c = order[i]!.component
      if (closed.has(c)) return false
      if (i + 1 < order.length && order[i + 1]!.component !== c) closed.add(c)
    }
  }
  return true
}

/**
 * Every valid order of the memory slots (depth-first; a prefix is dropped as soon as it breaks a
 * rule), the next slot tried in slot order. Rules 1-5 compare two slots only, so they are asked
 * once per pair: `below[i]` has bit j when slot i may not sit above slot j, and slot i may come
 * next exactly when none of the slots still unplaced is in it. (Asking them afresh at every
 * prefix was 10 ms per Einsum on two_level, 1.3 s of a chain of 128 matmuls.)
 */
export function* storageOrders(slots: ReadonlyArray<StorageSlot>, facts: EinsumFacts, o: OrderOptions): Generator<ReadonlyArray<StorageSlot>> {
  if (slots.length > MAX_BITMASK_SLOTS) {
    yield* storageOrdersByRules(slots, facts, o)
    return
  }
  const n = slots.length
  const below = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (j !== i && !mayBeAbove(slots[i]!, slots[j]!, facts, o)) below[i]! |= 1 << j
  }
  const orders: Array<ReadonlyArray<StorageSlot>> = []
  const order: Array<StorageSlot> = []
  const place = (unplaced: number): void => {
    if (unplaced === 0) {
      if (wholeOrderValid(order, facts, o)) orders.push([...order])
      return
    }
    for (let i = 0; i < n; i++) {
      const bit = 1 << i
      if ((unplaced & bit) === 0 || (below[i]! & unplaced) !== 0) continue
      order.push(slots[i]!)
      place(unplaced & ~bit)
      order.pop()
    }
  }
  place((2 ** n - 1) | 0)
  yield* orders
}

/** Slots an Int32 bitmask can hold. */
const MAX_BITMASK_SLOTS = 31

/** The same orders, the rules asked at every prefix: the reference for `storageOrders` (and its path for very many slots). */
export function* storageOrdersByRules(slots: ReadonlyArray<StorageSlot>, facts: EinsumFacts, o: OrderOptions): Generator<ReadonlyArray<StorageSlot>> {
  const used = new Array<boolean>(slots.length).fill(false)
  const order: Array<StorageSlot> = []
  const place = function*(): Generator<ReadonlyArray<StorageSlot>> {
    if (order.length === slots.length) {
      if (wholeOrderValid(order, facts, o)) yield [...order]
      return
    }
    for (let i = 0; i < slots.length; i++) {
      if (used[i]) continue
      const x = slots[i]!
      if (!slots.every((y, j) => used[j] || j === i || mayBeAbove(x, y, facts, o))) continue
      used[i] = true
      order.push(x)
      yield* place()
      order.pop()
      used[i] = false
    }
  }
  yield* place()
}

/**
 * Insert Tolls (§2.3) in arch order, ties by tensor name: each goes below the same tensor's
 * holders in higher levels, below nodes with a smaller fanout and below Tolls already
 * inserted from higher levels, and otherwise as high as possible. No Toll splits the top
 * group (first-memory and persistent nodes), which has no loop inside it anyway.
 */
export const insertTolls = (order: ReadonlyArray<StorageSlot>, tolls: ReadonlyArray<StorageSlot>, o: OrderOptions): Array<StorageSlot> => {
  const out = [...order]
  const sorted = [...tolls].sort((a, b) => a.level - b.level || (a.tensor < b.tensor ? -1 : a.tensor > b.tensor ? 1 : 0))
  for (const toll of sorted) {
    let position = 0
    out.forEach((s, i) => {
      const below = isTop(s, o) || (s.tensor === toll.tensor && s.level < toll.level) ||
        o.cumulativeFanout[s.level]! < o.cumulativeFanout[toll.level]! ||
        (s.toll && s.level < toll.level)
      if (below) position = i + 1
    })
    out.splice(position, 0, toll)
  }
  return out
}
