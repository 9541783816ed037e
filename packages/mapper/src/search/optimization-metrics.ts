/**
 * Timeloop's `optimization_metrics` (seed 004): a prioritized list of costs compared
 * lexicographically, each within a relative tolerance of 0.1% (Timeloop's), a tie going to the
 * incumbent. When the list is empty it follows `mapper.metrics`: EDP, or the energy and
 * latency objective columns of the search's composition (model compose/), in their order.
 */
import type { MapperConfig } from "@effect-accelforge/core"
import type { Composition } from "@effect-accelforge/model"
import { NoValidMappingError } from "../errors.ts"
import { usesEdp } from "../generate/objectives.ts"

export const METRICS = ["energy", "delay", "edp", "last-level-accesses"] as const
export type Metric = (typeof METRICS)[number]

export interface Costs {
  readonly energy: number
  readonly latency: number
  readonly lastLevelAccesses: number
}

export const costOf = (c: Costs, metric: Metric): number =>
  metric === "energy" ? c.energy : metric === "delay" ? c.latency : metric === "edp" ? c.energy * c.latency : c.lastLevelAccesses

export const optimizationMetrics = (config: MapperConfig, composition: Composition): Array<Metric> => {
  const given = config.search.optimization_metrics
  if (given.length > 0) {
    return given.map((name) => {
      const m = name === "latency" ? "delay" : name
      if (!(METRICS as ReadonlyArray<string>).includes(m)) {
        throw new NoValidMappingError({ reason: `mapper.search.optimization_metrics: unknown metric '${name}'; use ${METRICS.join(", ")} (or latency)` })
      }
      return m as Metric
    })
  }
  if (usesEdp(config.metrics)) return ["edp"]
  const names = composition.columns(config.metrics).map((c) => c.name)
  if (names.some((n) => n !== "energy" && n !== "latency")) {
    throw new NoValidMappingError({ reason: "mapper.metrics asks for dynamic or leak energy alone; set mapper.search.optimization_metrics (energy, delay, edp, last-level-accesses)" })
  }
  return names.map((n) => (n === "energy" ? "energy" : "delay"))
}

const TOLERANCE = 0.001

/**
 * Timeloop's comparison: a metric more than 0.1% better or worse decides; within tolerance the
 * next metric decides, and when none does, the sign of the first metric's difference (equal:
 * the incumbent stays).
 */
export const isBetter = (candidate: ArrayLike<number>, incumbent: ArrayLike<number>): boolean => {
  for (let m = 0; m < candidate.length; m++) {
    const c = candidate[m]!
    const i = incumbent[m]!
    const improvement = i === 0 ? 1 : (i - c) / i
    if (Math.abs(improvement) > TOLERANCE) return improvement > 0
  }
  const c = candidate[0]!
  const i = incumbent[0]!
  return (i === 0 ? 1 : (i - c) / i) > 0
}
