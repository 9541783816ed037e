/**
 * How full each bounded memory is for each Einsum: one chart per memory (their scales differ by
 * orders of magnitude: a weight register is full, a global buffer may hold 0.1%), one bar per
 * Einsum, stacked by the fraction of one instance's capacity each tensor holds at its
 * reservation. Unbounded memories (size inf) have no fraction and get no chart.
 */
import type { EvaluationResult } from "@effect-accelforge/model"
import { type Chart, chartConfig, SCHEMA } from "../chart/chart.ts"

const fileSafe = (name: string): string => name.replace(/[^A-Za-z0-9_-]+/g, "_")

export const capacityChart = (r: EvaluationResult, memory: string): Chart => {
  const held = r.memoryUsage.filter((u) => u.component === memory && u.fraction > 0)
  const title = `Capacity use of ${memory}`
  return {
    id: `capacity-use-${fileSafe(memory)}`,
    title,
    caption: `The share of ${memory}'s capacity (one instance) that each tensor holds while each Einsum runs; 100% is full.`,
    expectedMarks: held.length,
    spec: {
      $schema: SCHEMA,
      title,
      width: Math.max(140, 40 * r.einsums.length),
      height: 200,
      config: chartConfig,
      data: { values: held.map((u) => ({ einsum: u.einsum, memory: u.component, tensor: u.tensor, fraction: u.fraction, bits: u.bits })) },
      mark: { type: "bar", tooltip: true, stroke: "#ffffff", strokeWidth: 0.5 },
      encoding: {
        x: { field: "einsum", type: "nominal", title: "Einsum", sort: r.einsums.map((e) => e.einsum), axis: { labelAngle: 0 } },
        y: { field: "fraction", type: "quantitative", title: "capacity used", stack: "zero", axis: { format: "~%" } },
        color: { field: "tensor", type: "nominal", title: "tensor" }
      }
    }
  }
}

/** One chart per memory that holds anything with a bounded size, in the order the records name them. */
export const capacityCharts = (r: EvaluationResult): Array<Chart> =>
  [...new Set(r.memoryUsage.filter((u) => u.fraction > 0).map((u) => u.component))].map((memory) => capacityChart(r, memory))
