/**
 * @effect-accelforge/model: evaluating one mapping (a LoopTree) of a workload on an arch into
 * action counts, energy, latency and capacity use, reproducing AccelForge's model.
 */
export * from "./errors.ts"
export * from "./result.ts"
export * from "./mapping/source.ts"
export { type EinsumPath, type PathNode, splitMapping } from "./mapping/split.ts"
export { buildPmapping, type ComputeLeaf, type HolderNode, type LoopNode, type Pmapping, type PmappingNode } from "./mapping/pmapping.ts"
export { analyzeEinsum, type EinsumAnalysisResult } from "./analysis/analyze-einsum.ts"
export { type EvaluateError, evaluateMapping } from "./evaluate/evaluate-mapping.ts"
export * from "./costs/component-costs.ts"
export * from "./service/evaluator.ts"
export { einsumMetrics, type EinsumMetrics } from "./evaluate/einsum-metrics.ts"
export { memoryUsage, type ReservationEntry, reservationsOf, spatialUsage } from "./metrics/usage.ts"
export * from "./reference/compare-regression.ts"
export { compileGeometry, type EinsumGeometry, type TensorGeometry, tileValues } from "./analysis/geometry.ts"
// The analysis's structure, for the mapper's symbolic cost terms (mapper/src/tiles/cost-terms.ts),
// which must follow exactly the same rules as the numeric analysis.
export { F, FIELD_COUNT, SKIPPED_FIELDS, SPATIAL_REUSED, SPATIAL_UNICAST, TEMPORAL_ALWAYS } from "./analysis/buffet-stats.ts"
export { insertReservations, type AnalysisNode } from "./analysis/reservations.ts"
export { perTensorOrder } from "./analysis/per-tensor-order.ts"
export { actionsPerValue, bitsPerValueAt, mayReuse, networksBetween } from "./analysis/level-facts.ts"
export { countActions, type ComponentCalls, type RawAction } from "./metrics/actions.ts"
export { componentLatency, latencyOfCalls, type LatencyScope } from "./metrics/latency.ts"
export { leakEnergy } from "./metrics/energy.ts"
export { offChipBytes, outermostMemoryLevel } from "./metrics/off-chip.ts"
