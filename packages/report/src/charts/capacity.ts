/**
 * How full each bounded memory is for each Einsum: the fraction of one instance's capacity
 * each tensor holds (at its reservation), stacked by tensor, one bar per (Einsum, memory).
 * Unbounded memories (DRAM of size inf) have no fraction and are left out.
 */
import type { EvaluationResult } from "@effect-accelforge/model"
import { type Chart, chartConfig, SCHEMA } from "../chart/chart.ts"

export const capacityChart = (r: EvaluationResult): Chart => {
  const held = r.memoryUsage.filter((u) => u.fraction > 0)
  const memories = [...new Set(held.map((u) => u.component))]
  return {
    id: "capacity-use",
    title: "Capacity use per memory and Einsum",
    caption: "The share of each bounded memory's capacity (one instance) that each tensor holds while the Einsum runs (100% is full; the axis ends at the fullest bar). Unbounded memories are not shown.",
    expectedMarks: held.length,
    spec: {
      $schema: SCHEMA,
      title: "Capacity use per memory and Einsum",
      config: chartConfig,
      data: { values: held.map((u) => ({ einsum: u.einsum, memory: u.component, tensor: u.tensor, fraction: u.fraction, bits: u.bits })) },
      facet: { column: { field: "memory", type: "nominal", title: "memory", sort: memories } },
      spec: {
        width: Math.max(120, 40 * r.einsums.length),
        height: 220,
        mark: { type: "bar", tooltip: true, stroke: "#ffffff", strokeWidth: 0.5 },
        encoding: {
          x: { field: "einsum", type: "nominal", title: "Einsum", sort: r.einsums.map((e) => e.einsum), axis: { labelAngle: 0 } },
          y: { field: "fraction", type: "quantitative", title: "capacity used", stack: "zero", axis: { format: "~%" } },
          color: { field: "tensor", type: "nominal", title: "tensor" }
        }
      }
    }
  }
}
