/**
 * Distributed buffers (memories inside an `!Array` with their own fanout, see
 * mapping/arrays.ts): how many of a member's units are active, and how many units a transfer
 * from it along one of the Array's dimensions starts from.
 */
import type { Pmapping } from "../mapping/pmapping.ts"

export interface Distribution {
  /** Units sharing the per-unit counts and occupancy of the component at `level` (1 if not distributed). */
  readonly activeUnits: (level: number) => number
  /** Units of the component at `level` along dimension `dim` of the Array `array` (1 if none). */
  readonly sourceUnits: (level: number, array: string, dim: string) => number
}

export const NOT_DISTRIBUTED: Distribution = { activeUnits: () => 1, sourceUnits: () => 1 }

export const distribution = (
  pmapping: Pmapping,
  memberOf: ReadonlyMap<string, string>,
  used: ReadonlyMap<string, ReadonlyMap<string, number>>
): Distribution => {
  if (memberOf.size === 0) return NOT_DISTRIBUTED
  const nodes = pmapping.arch.nodes
  return {
    activeUnits: (level) => {
      const c = nodes[level]!
      const array = memberOf.get(c.name)
      if (array === undefined) return 1
      return c.spatial.reduce((p, d) => p * Math.min(d.fanout, used.get(array)?.get(d.name) ?? 1), 1)
    },
    sourceUnits: (level, array, dim) => {
      const c = nodes[level]!
      if (memberOf.get(c.name) !== array) return 1
      return c.spatial.find((d) => d.name === dim)?.fanout ?? 1
    }
  }
}
