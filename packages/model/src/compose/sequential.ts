/**
 * Mode `none`: Einsums run one after the other, as in AccelForge (and today's default). An
 * Einsum's latency is its slowest component (compute and memories overlap within it); its
 * leak energy is the arch's leak power over that latency; every column adds across Einsums;
 * EDP is energy × latency of the whole mapping, taken at the end (it does not add).
 */
import { METRIC_FLAGS } from "@effect-accelforge/core"
import type { Column, Composition, ObjectiveName, RowCombiner, Totals } from "./composition.ts"
import type { EinsumCosts } from "./einsum-costs.ts"

const has = (metrics: number, flag: number) => (metrics & flag) !== 0

/** Energy for ENERGY or EDP, latency for LATENCY or EDP, leak and dynamic energy apart only when asked. */
const columns = (metrics: number): ReadonlyArray<Column> => {
  const out: Array<ObjectiveName> = []
  if (has(metrics, METRIC_FLAGS.ENERGY) || has(metrics, METRIC_FLAGS.ENERGY_DELAY_PRODUCT)) out.push("energy")
  if (has(metrics, METRIC_FLAGS.LATENCY) || has(metrics, METRIC_FLAGS.ENERGY_DELAY_PRODUCT)) out.push("latency")
  if (has(metrics, METRIC_FLAGS.DYNAMIC_ENERGY)) out.push("dynamicEnergy")
  if (has(metrics, METRIC_FLAGS.LEAK_ENERGY)) out.push("leakEnergy")
  return out.map((name) => ({ name, combine: "add" }))
}

const einsumLatency = (costs: EinsumCosts): number => {
  let latency = 0
  for (let c = 0; c < costs.componentLatency.length; c++) latency = Math.max(latency, costs.componentLatency[c]!)
  return latency
}

const einsumValues = (cols: ReadonlyArray<Column>, costs: EinsumCosts, out: Float64Array, offset = 0): void => {
  const latency = einsumLatency(costs)
  let leak = 0
  for (let c = 0; c < costs.leakPower.length; c++) leak += costs.leakPower[c]! * latency
  const n = costs.nInstances
  for (let c = 0; c < cols.length; c++) {
    const name = cols[c]!.name
    out[offset + c] = name === "energy"
      ? (costs.dynamicEnergy + leak) * n
      : name === "latency"
      ? latency * n
      : name === "dynamicEnergy"
      ? costs.dynamicEnergy * n
      : leak * n
  }
}

const combiner = (cols: ReadonlyArray<Column>): RowCombiner => {
  const rule = cols.map((c) => c.combine)
  if (rule.some((r) => r !== "add" && r !== "max")) throw new Error("mode none combines columns by add or max only")
  const k = cols.length
  // The join calls this once per row pair: every column added is the common case, kept branch-free.
  if (rule.every((r) => r === "add")) {
    return (out, left, l, right, r) => {
      for (let c = 0; c < k; c++) out[c] = left[c]![l]! + right[c]![r]!
    }
  }
  const adds = Uint8Array.from(rule, (r) => (r === "add" ? 1 : 0))
  return (out, left, l, right, r) => {
    for (let c = 0; c < k; c++) out[c] = adds[c] === 1 ? left[c]![l]! + right[c]![r]! : Math.max(left[c]![l]!, right[c]![r]!)
  }
}

const totals = (cols: ReadonlyArray<Column>, values: ArrayLike<number>): Totals => {
  const out: { -readonly [K in keyof Totals]: number } = {}
  cols.forEach((c, i) => (out[c.name as ObjectiveName] = values[i]!))
  if (out.energy !== undefined && out.latency !== undefined) out.edp = out.energy * out.latency
  return out
}

export const SEQUENTIAL: Composition = { mode: "none", columns, einsumLatency, einsumValues, combiner, totals, forSearch: () => SEQUENTIAL }

/** The objectives a metric set minimizes, in the order ties are broken (every mode's totals have them). */
export const objectivesOf = (metrics: number): ReadonlyArray<ObjectiveName> => columns(metrics).map((c) => c.name as ObjectiveName)

/** Every objective column, for the model's own evaluation. */
export const ALL_OBJECTIVES: ReadonlyArray<Column> = columns(METRIC_FLAGS.ENERGY | METRIC_FLAGS.LATENCY | METRIC_FLAGS.DYNAMIC_ENERGY | METRIC_FLAGS.LEAK_ENERGY)
