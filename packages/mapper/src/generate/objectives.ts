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
