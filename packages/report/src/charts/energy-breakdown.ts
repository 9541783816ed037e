/**
 * Where the energy goes: per Einsum, stacked by component, and stacked by action (read,
 * write, compute, leak, hop...). Straight from `EvaluationResult.energyBreakdown`.
 */
import type { EvaluationResult } from "@effect-accelforge/model"
import type { Chart } from "../chart/chart.ts"
import { stackedBarsChart, sumSegments } from "./stacked-bars.ts"

const einsumOrder = (r: EvaluationResult) => r.einsums.map((e) => e.einsum)

export const energyByComponentChart = (r: EvaluationResult): Chart =>
  stackedBarsChart({
    id: "energy-by-component",
    title: "Energy per Einsum, by component",
    caption: "Dynamic and leak energy of each Einsum (in the arch's energy unit, all instances), stacked by the component that spends it.",
    categoryTitle: "component",
    valueTitle: "energy",
    einsums: einsumOrder(r),
    segments: sumSegments(r.energyBreakdown, (e) => e.einsum, (e) => e.component, (e) => e.value)
  })

export const energyByActionChart = (r: EvaluationResult): Chart =>
  stackedBarsChart({
    id: "energy-by-action",
    title: "Energy per Einsum, by action",
    caption: "The same energy stacked by action: reads, writes, compute, network hops and leak, over every component.",
    categoryTitle: "action",
    valueTitle: "energy",
    einsums: einsumOrder(r),
    segments: sumSegments(r.energyBreakdown, (e) => e.einsum, (e) => e.action, (e) => e.value)
  })
