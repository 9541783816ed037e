/**
 * Distributed buffers (memories inside an `!Array` with their own fanout, see
 * mapping/arrays.ts): how many of a member's units are active, and how many units a transfer
 * from it along one of the Array's dimensions starts from.
 */
import { min, mul, type Value } from "../algebra/value.ts"
import type { Pmapping } from "../mapping/pmapping.ts"

export interface Distribution<V extends Value = number> {
  /** Units sharing the per-unit counts and occupancy of the component at `level` (1 if not distributed). */
  readonly activeUnits: (level: number) => V
  /** Units of the component at `level` along dimension `dim` of the Array `array` (1 if none). */
  readonly sourceUnits: (level: number, array: string, dim: string) => number
}

const NOT_DISTRIBUTED: Distribution<never> = { activeUnits: () => 1 as never, sourceUnits: () => 1 }

// Where the cost terms of a template stop being polynomials (the row decides; see algebra/value.ts).
const ACTIVE_UNITS = "a distributed buffer uses min(fanout, instances used) units, and which one is smaller depends on the tile row"

export const distribution = <V extends Value>(
  pmapping: Pmapping,
  memberOf: ReadonlyMap<string, string>,
  used: ReadonlyMap<string, ReadonlyMap<string, V>>
): Distribution<V> => {
  if (memberOf.size === 0) return NOT_DISTRIBUTED
  const nodes = pmapping.arch.nodes
  return {
    activeUnits: (level) => {
      const c = nodes[level]!
      const array = memberOf.get(c.name)
      if (array === undefined) return 1 as V
      return c.spatial.reduce((p, d) => mul(p, min(d.fanout as V, used.get(array)?.get(d.name) ?? (1 as V), ACTIVE_UNITS)), 1 as V)
    },
    sourceUnits: (level, array, dim) => {
      const c = nodes[level]!
      if (memberOf.get(c.name) !== array) return 1
      return c.spatial.find((d) => d.name === dim)?.fanout ?? 1
    }
  }
}
