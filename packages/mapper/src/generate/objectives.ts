/**
 * What a metric set asks of the search beyond its objective columns (which the composition,
 * model compose/, derives from the metrics): whether memory use is an objective, and whether
 * EDP is. EDP is not a column: the composition derives it at the end from the exact
 * energy-latency front.
 */
import { METRIC_FLAGS } from "@effect-accelforge/core"

export const usesResourceObjective = (metrics: number): boolean => (metrics & METRIC_FLAGS.RESOURCE_USAGE) !== 0
export const usesEdp = (metrics: number): boolean => (metrics & METRIC_FLAGS.ENERGY_DELAY_PRODUCT) !== 0

/**
 * Whether EDP is the only thing asked for: then the energy and latency columns go once EDP is
 * taken, and one mapping remains (AccelForge §1.3).
 */
export const edpOnly = (metrics: number): boolean =>
  usesEdp(metrics) && (metrics & (METRIC_FLAGS.ENERGY | METRIC_FLAGS.LATENCY | METRIC_FLAGS.DYNAMIC_ENERGY | METRIC_FLAGS.LEAK_ENERGY)) === 0

/**
 * The metrics a search carries to pick well among exact ties: a run asking for energy alone also
 * carries latency (the fastest of the cheapest wins), one asking for latency alone also carries
 * energy (the cheapest of the fastest). The tie-break objective is a full Pareto column, so the
 * pick is exact: a row that ties on the asked objective is never dropped for a costlier twin.
 */
export const searchedMetrics = (metrics: number, tieBreak: "objectives" | "first"): number => {
  if (tieBreak === "first") return metrics
  const energy = (metrics & METRIC_FLAGS.ENERGY) !== 0
  const latency = (metrics & METRIC_FLAGS.LATENCY) !== 0
  if (energy && !latency) return metrics | METRIC_FLAGS.LATENCY
  if (latency && !energy) return metrics | METRIC_FLAGS.ENERGY
  return metrics
}
