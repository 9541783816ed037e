/**
 * The rows of a result's tables, shared by the terminal and the HTML report: totals, one row
 * per Einsum, and one row per (Einsum, component) with its dynamic and leak energy, latency
 * (marking the component that sets the Einsum's latency: the slowest, since components overlap)
 * and the bits it holds.
 */
import type { EvaluationResult } from "@effect-accelforge/model"

export interface TotalRow {
  readonly name: "energy" | "dynamicEnergy" | "leakEnergy" | "latency" | "area" | "leakPower"
  readonly label: string
  readonly value: number | undefined
}

export const totalRows = (r: EvaluationResult): Array<TotalRow> => [
  { name: "energy", label: "energy", value: r.energy },
  { name: "dynamicEnergy", label: "  dynamic", value: r.dynamicEnergy },
  { name: "leakEnergy", label: "  leak", value: r.leakEnergy },
  { name: "latency", label: "latency", value: r.latency },
  { name: "area", label: "area", value: r.area },
  { name: "leakPower", label: "leak power", value: r.leakPower }
]

export interface ComponentRow {
  readonly einsum: string
  readonly component: string
  dynamic: number
  leak: number
  /** Undefined for a component with no latency record in this Einsum. */
  latency: number | undefined
  /** Whether this component's latency is the Einsum's (the slowest). */
  bounding: boolean
  bits: number
  /** Summed over tensors; 0 for an unbounded memory. */
  fraction: number
}

/** Rows in the order the breakdowns first name each (Einsum, component). */
export const componentRows = (r: EvaluationResult): Array<ComponentRow> => {
  const rows = new Map<string, ComponentRow>()
  const row = (einsum: string, component: string): ComponentRow => {
    const key = `${einsum}\u0000${component}`
    let existing = rows.get(key)
    if (existing === undefined) {
      existing = { einsum, component, dynamic: 0, leak: 0, latency: undefined, bounding: false, bits: 0, fraction: 0 }
      rows.set(key, existing)
    }
    return existing
  }
  for (const e of r.energyBreakdown) {
    const target = row(e.einsum, e.component)
    if (e.action === "leak") target.leak += e.value
    else target.dynamic += e.value
  }
  const einsumLatency = new Map(r.einsums.map((e) => [e.einsum, e.latency]))
  for (const l of r.latencyBreakdown) {
    const target = row(l.einsum, l.component)
    target.latency = l.value
    const slowest = einsumLatency.get(l.einsum) ?? 0
    target.bounding = slowest > 0 && l.value === slowest
  }
  for (const u of r.memoryUsage) {
    const target = row(u.einsum, u.component)
    target.bits += u.bits
    target.fraction += u.fraction
  }
  // Group each Einsum's rows together, Einsums in the order their rows first appeared.
  const byEinsum = new Map<string, Array<ComponentRow>>()
  for (const x of rows.values()) byEinsum.set(x.einsum, [...(byEinsum.get(x.einsum) ?? []), x])
  return [...byEinsum.values()].flat()
}
