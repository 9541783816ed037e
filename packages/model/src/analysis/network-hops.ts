/**
 * Traffic on a `!Network` (model §9): a transfer between a buffet and its parent that crosses
 * a Network is spread over the spatial instances below that network. At each such spatial
 * loop the data for one instance's subtree travels `n` ways: a multicast (or, for outputs, a
 * reduction) sends it once along the chain, a unicast sends each instance its own share.
 */
import type { ResolvedComponent } from "@effect-accelforge/core"
import { add, div, exceedsOne, max, min, mul, NotPolynomial, sub, type Value } from "../algebra/value.ts"

export interface HopStats<V extends Value = number> {
  /** The network's level in the flattened arch. */
  readonly level: number
  readonly network: ResolvedComponent
  /** Hop actions (volume × hops) over the whole Einsum. */
  totalHops: V
  /** Longest path one transfer takes (sum over dimensions). */
  maxHops: V
  /** Most traffic on one link for one transfer. */
  maxLinkTraffic: V
  /** Per (component, dimension): instances already spanned below (the stride of outer loops). */
  readonly spanned: Map<string, V>
  readonly hopsPerDimension: Map<string, V>
}

export const newHopStats = <V extends Value>(network: ResolvedComponent, level: number): HopStats<V> => ({
  level, network, totalHops: 0 as V, maxHops: 0 as V, maxLinkTraffic: 0 as V, spanned: new Map(), hopsPerDimension: new Map()
})

// Where the cost terms of a template stop being polynomials (the row decides; see algebra/value.ts).
const LONGEST_HOP = "a Network's longest path takes the longer of two spatial loops on one dimension, and which one is longer depends on the tile row"
const LINK_TRAFFIC = "a Network's busiest link takes the larger of two transfers, and which one is larger depends on the tile row"
const ALL_TO_ALL = "an all-to-all Network's path is one hop when its spatial loop iterates and none when it does not, which depends on the tile row"
const SOURCES = "a distributed source splits a spatial loop into min(sources, instances) groups, and which one is smaller depends on the tile row"

/** 1 when a loop of `g` instances iterates, else 0. */
const oneIfIterates = <V extends Value>(g: V): V => {
  const more = exceedsOne(g)
  return (more === undefined ? new NotPolynomial(ALL_TO_ALL) : more ? 1 : 0) as V
}

/**
 * A spatial loop of `n` instances on dimension `key` below the network. `volume` is the data one
 * instance needs, in hop actions; `reuse` is multicast/reduction. A distributed source with
 * `sources` units along this dimension splits the instances into that many groups, each fed
 * from its own unit.
 */
export const addSpatialHops = <V extends Value>(h: HopStats<V>, key: string, n: V, volume: V, reuse: boolean, sources = 1): void => {
  const stride = h.spanned.get(key) ?? (1 as V)
  const groups = min(Math.max(sources, 1) as V, n, SOURCES)
  const g = div(n, groups)
  const allToAll = h.network.topology === "all_to_all"
  const hops = allToAll
    ? mul(sub(g, 1), volume)
    : reuse
    ? mul(mul(sub(g, 1), stride), volume)
    : mul(mul(div(mul(g, sub(g, 1)), 2), stride), volume)
  const longest = allToAll ? oneIfIterates(g) : mul(g, stride)
  // Every instance of this loop carries the traffic already counted below it, then the new hops.
  h.totalHops = add(mul(h.totalHops, n), mul(groups, hops))
  h.hopsPerDimension.set(key, max(h.hopsPerDimension.get(key) ?? (0 as V), longest, LONGEST_HOP))
  h.maxHops = [...h.hopsPerDimension.values()].reduce((a, b) => add(a, b), 0 as V)
  h.maxLinkTraffic = max(h.maxLinkTraffic, reuse ? volume : mul(sub(g, 1), volume), LINK_TRAFFIC)
  h.spanned.set(key, mul(stride, n))
}

/** A loop that repeats the whole transfer (temporal, or spatial above the network). */
export const repeatHops = <V extends Value>(h: HopStats<V>, n: V): void => {
  h.totalHops = mul(h.totalHops, n)
}
