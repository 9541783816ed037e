/**
 * Traffic on a `!Network` (model §9): a transfer between a buffet and its parent that crosses
 * a Network is spread over the spatial instances below that network. At each such spatial
 * loop the data for one instance's subtree travels `n` ways: a multicast (or, for outputs, a
 * reduction) sends it once along the chain, a unicast sends each instance its own share.
 */
import type { ResolvedComponent } from "@effect-accelforge/core"

export interface HopStats {
  /** The network's level in the flattened arch. */
  readonly level: number
  readonly network: ResolvedComponent
  /** Hop actions (volume × hops) over the whole Einsum. */
  totalHops: number
  /** Longest path one transfer takes (sum over dimensions). */
  maxHops: number
  /** Most traffic on one link for one transfer. */
  maxLinkTraffic: number
  /** Per (component, dimension): instances already spanned below (the stride of outer loops). */
  readonly spanned: Map<string, number>
  readonly hopsPerDimension: Map<string, number>
}

export const newHopStats = (network: ResolvedComponent, level: number): HopStats => ({
  level, network, totalHops: 0, maxHops: 0, maxLinkTraffic: 0, spanned: new Map(), hopsPerDimension: new Map()
})

/**
 * A spatial loop of `n` instances on dimension `key` below the network. `volume` is the data one
 * instance needs, in hop actions; `reuse` is multicast/reduction. A distributed source with
 * `sources` units along this dimension splits the instances into that many groups, each fed
 * from its own unit.
 */
export const addSpatialHops = (h: HopStats, key: string, n: number, volume: number, reuse: boolean, sources = 1): void => {
  const stride = h.spanned.get(key) ?? 1
  const groups = Math.min(Math.max(sources, 1), n)
  const g = n / groups
  const allToAll = h.network.topology === "all_to_all"
  const hops = allToAll ? (g - 1) * volume : reuse ? (g - 1) * stride * volume : (g * (g - 1) / 2) * stride * volume
  const longest = allToAll ? (g > 1 ? 1 : 0) : g * stride
  // Every instance of this loop carries the traffic already counted below it, then the new hops.
  h.totalHops = h.totalHops * n + groups * hops
  h.hopsPerDimension.set(key, Math.max(h.hopsPerDimension.get(key) ?? 0, longest))
  h.maxHops = [...h.hopsPerDimension.values()].reduce((a, b) => a + b, 0)
  h.maxLinkTraffic = Math.max(h.maxLinkTraffic, reuse ? volume : (g - 1) * volume)
  h.spanned.set(key, stride * n)
}

/** A loop that repeats the whole transfer (temporal, or spatial above the network). */
export const repeatHops = (h: HopStats, n: number): void => {
  h.totalHops *= n
}
