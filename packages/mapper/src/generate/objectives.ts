/**
 * Which objective columns a metric set needs during the search (FFM §7.1, §4.6): energy for
 * ENERGY or EDP, latency for LATENCY or EDP, leak and dynamic energy apart only when asked.
 * EDP itself is not a column: it is not additive, so it is taken at the end over the exact
 * energy-latency front.
 */
import { METRIC_FLAGS } from "@effect-accelforge/core"

export type ObjectiveName = "energy" | "latency" | "dynamicEnergy" | "leakEnergy"

export const objectivesOf = (metrics: number): Array<ObjectiveName> => {
  const out: Array<ObjectiveName> = []
  const has = (flag: number) => (metrics & flag) !== 0
  if (has(METRIC_FLAGS.ENERGY) || has(METRIC_FLAGS.ENERGY_DELAY_PRODUCT)) out.push("energy")
  if (has(METRIC_FLAGS.LATENCY) || has(METRIC_FLAGS.ENERGY_DELAY_PRODUCT)) out.push("latency")
  if (has(METRIC_FLAGS.DYNAMIC_ENERGY)) out.push("dynamicEnergy")
  if (has(METRIC_FLAGS.LEAK_ENERGY)) out.push("leakEnergy")
  return out
}

export const usesResourceObjective = (metrics: number): boolean => (metrics & METRIC_FLAGS.RESOURCE_USAGE) !== 0
export const usesEdp = (metrics: number): boolean => (metrics & METRIC_FLAGS.ENERGY_DELAY_PRODUCT) !== 0

/**
 * Whether EDP is the only thing asked for: then the energy and latency columns go once EDP is
 * taken, and one mapping remains (AccelForge §1.3).
 */
export const edpOnly = (metrics: number): boolean =>
  usesEdp(metrics) && (metrics & (METRIC_FLAGS.ENERGY | METRIC_FLAGS.LATENCY | METRIC_FLAGS.DYNAMIC_ENERGY | METRIC_FLAGS.LEAK_ENERGY)) === 0
