/**
 * Copy Einsums (`is_copy_operation`, model §9): the output is the single input, moved.
 *
 * - The pmapping is transformed first: holders below the last backing holder are dropped (a
 *   copy only moves data between the places that back its two tensors), and no holder's
 *   reservation is lowered (`_lower = False`; see reservations.ts).
 * - The Compute does no op: it reads the input once per point and writes the output without
 *   reading it; nothing skips a first read (see reuse.ts).
 * - After the analysis every buffet is re-keyed to the source (input) tensor, and buffets that
 *   then share a level are merged field by field with `min_take_zero` (the minimum; a zero
 *   wins). So a copy between two tensors backed in the same memory is free (the input is read
 *   but the output is not, and the output is written but the input is not), while a copy from
 *   one memory into another costs the read at the source and the write at the destination.
 */
import { isZero, min, NotPolynomial, type Value } from "../algebra/value.ts"
import type { Pmapping, PmappingNode } from "../mapping/pmapping.ts"
import type { HopStats } from "./network-hops.ts"
import type { Buffet } from "./reuse.ts"

/** A copy Einsum's pmapping: the holders below its last backing holder are dropped. */
export const copyPmapping = (pmapping: Pmapping): Pmapping => {
  let last = -1
  pmapping.nodes.forEach((n, i) => {
    if (n.kind === "holder" && n.backing) last = i
  })
  const nodes = pmapping.nodes.filter((n: PmappingNode, i) => n.kind !== "holder" || i <= last)
  return nodes.length === pmapping.nodes.length ? pmapping : { ...pmapping, nodes }
}

// Where the cost terms of a template stop being polynomials (the row decides; see algebra/value.ts).
const MAY_BE_ZERO = "a copy keeps the smaller of two counts at one level, unless one is zero, and whether one is zero depends on the tile row"
const SMALLER = "a copy keeps the smaller of two counts at one level, and which one is smaller depends on the tile row"

/** min_take_zero: the minimum of non-negative values, where any zero wins. */
const minTakeZero = <V extends Value>(a: V, b: V): V => {
  const za = isZero(a)
  const zb = isZero(b)
  if (za === true || zb === true) return 0 as V
  if (za === undefined || zb === undefined) return new NotPolynomial(MAY_BE_ZERO) as V
  return min(a, b, SMALLER)
}

const mergeHops = <V extends Value>(a: ReadonlyArray<HopStats<V>>, b: ReadonlyArray<HopStats<V>>): ReadonlyArray<HopStats<V>> => {
  const out = a.map((h) => ({ ...h, spanned: new Map(h.spanned), hopsPerDimension: new Map(h.hopsPerDimension) }))
  for (const h of b) {
    const same = out.find((x) => x.level === h.level)
    if (same === undefined) {
      out.push({ ...h, spanned: new Map(h.spanned), hopsPerDimension: new Map(h.hopsPerDimension) })
      continue
    }
    same.totalHops = minTakeZero(same.totalHops, h.totalHops)
    same.maxHops = minTakeZero(same.maxHops, h.maxHops)
    same.maxLinkTraffic = minTakeZero(same.maxLinkTraffic, h.maxLinkTraffic)
  }
  return out
}

/**
 * Every buffet re-keyed to `source`, and buffets at the same level merged. The merged buffet
 * keeps the source tensor's holder (it is the one reported), else the first one's.
 * Order: first-seen order of the levels.
 */
export const mergeCopyBuffets = <V extends Value>(buffets: ReadonlyArray<Buffet<V>>, source: string): Array<Buffet<V>> => {
  const byLevel = new Map<number, Array<Buffet<V>>>()
  for (const b of buffets) {
    const list = byLevel.get(b.level) ?? []
    list.push(b)
    byLevel.set(b.level, list)
  }
  return [...byLevel.values()].map((list) => {
    const main = list.find((b) => b.tensor === source) ?? list[0]!
    const stats = [...main.stats]
    let occupancy = main.occupancy
    let hops = main.hops
    for (const other of list) {
      if (other === main) continue
      for (let f = 0; f < stats.length; f++) stats[f] = minTakeZero(stats[f]!, other.stats[f]!)
      occupancy = minTakeZero(occupancy, other.occupancy)
      hops = mergeHops(hops, other.hops)
    }
    return { ...main, tensor: source, stats, occupancy, hops }
  })
}
