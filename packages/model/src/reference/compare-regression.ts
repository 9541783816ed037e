/**
 * Comparing an EvaluationResult with one of AccelForge's regression records (the format of
 * `regression_public.json`): totals, per-component energy and latency, and per-tensor action
 * counts, each within 1% relative, a reference zero exactly zero. Extra keys are fine.
 */
import { type EvaluationResult, groupEntries } from "../result.ts"

export interface RegressionRecord {
  readonly energy: number
  readonly latency: number
  readonly energy_per_component: Readonly<Record<string, number>>
  readonly latency_per_component: Readonly<Record<string, number>>
  readonly actions: Readonly<Record<string, number>>
}

/** "('Matmul0', 'MAC', 'None', 'compute')" -> "Matmul0|MAC|None|compute" */
const tupleKey = (text: string): string => [...text.matchAll(/'([^']*)'/g)].map((m) => m[1]).join("|")

/** Within 1% relative; a reference zero must be exactly zero. */
export const close = (got: number | undefined, want: number): boolean =>
  got !== undefined && (want === 0 ? got === 0 : Math.abs(got - want) <= 0.01 * Math.abs(want))

export interface Comparison {
  readonly checked: number
  readonly failures: ReadonlyArray<string>
}

/** Every number of a regression record against our result. */
export const compareWithRegression = (r: EvaluationResult, want: RegressionRecord): Comparison => {
  const failures: Array<string> = []
  let checked = 0
  const check = (what: string, got: number | undefined, expected: number) => {
    checked++
    if (!close(got, expected)) failures.push(`${what}: got ${got}, want ${expected}`)
  }
  check("energy", r.energy, want.energy)
  check("latency", r.latency, want.latency)
  const energy = groupEntries(r.energyBreakdown, { einsum: true, component: true, action: true })
  for (const [k, v] of Object.entries(want.energy_per_component)) check(`energy ${k}`, energy.get(tupleKey(k)), v)
  const latency = new Map(r.latencyBreakdown.map((l) => [`${l.einsum}|${l.component}`, l.value]))
  for (const [k, v] of Object.entries(want.latency_per_component)) check(`latency ${k}`, latency.get(tupleKey(k)), v)
  const actions = groupEntries(r.actions, { einsum: true, component: true, tensor: true, action: true })
  for (const [k, v] of Object.entries(want.actions)) check(`actions ${k}`, actions.get(tupleKey(k)), v)
  return { checked, failures }
}
