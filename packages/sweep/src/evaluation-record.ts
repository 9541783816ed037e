/**
 * The flat JSON record of an evaluated mapping (stable field names, for scripts, notebooks and
 * the results store): what `evaluate --json` and `run --json` write per mapping and what a
 * sweep stores per point.
 */
import type { EvaluationResult } from "@effect-accelforge/model"

export const evaluationJson = (r: EvaluationResult, mapping: unknown) => ({
  energy: r.energy,
  latency: r.latency,
  energyBreakdown: r.energyBreakdown.map((e) => ({ einsum: e.einsum, component: e.component, tensor: e.tensor, action: e.action, value: e.value })),
  latencyBreakdown: r.latencyBreakdown.map((l) => ({ einsum: l.einsum, component: l.component, value: l.value })),
  actions: r.actions.map((a) => ({ einsum: a.einsum, component: a.component, tensor: a.tensor, action: a.action, value: a.value })),
  dynamicEnergy: r.dynamicEnergy,
  leakEnergy: r.leakEnergy,
  area: r.area ?? null,
  leakPower: r.leakPower ?? null,
  einsums: r.einsums,
  memoryUsage: r.memoryUsage,
  spatialUsage: r.spatialUsage,
  mapping
})

/** JSON with Infinity written as a string (JSON has no infinity) and Maps as objects. */
export const toJson = (value: unknown, indent?: number): string =>
  JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v instanceof Map ? Object.fromEntries(v) : v), indent)
