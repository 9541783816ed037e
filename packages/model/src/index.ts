/**
 * @effect-accelforge/model: evaluating one mapping (a LoopTree) of a workload on an arch into
 * action counts, energy, latency and capacity use, reproducing AccelForge's model.
 */
export * from "./errors.ts"
export * from "./result.ts"
export * from "./mapping/source.ts"
export { type EinsumPath, type PathNode, splitMapping } from "./mapping/split.ts"
export { buildPmapping, type ComputeLeaf, type HolderNode, type LoopNode, type Pmapping, type PmappingNode } from "./mapping/pmapping.ts"
export { analyzeEinsum, type EinsumAnalysisResult, einsumStructure, type EinsumStructure } from "./analysis/analyze-einsum.ts"
export { type EvaluateError, evaluateMapping } from "./evaluate/evaluate-mapping.ts"
export * from "./costs/component-costs.ts"
export * from "./service/evaluator.ts"
export { costsOfAnalysis, einsumMetrics, type EinsumMetrics } from "./evaluate/einsum-metrics.ts"
export { CAPACITY_FITS, memoryUsage, type ReservationEntry, reservationsOf, spatialUsage } from "./metrics/usage.ts"
export * from "./reference/compare-regression.ts"
export { compileGeometry, type EinsumGeometry, type TensorGeometry, tileValues } from "./analysis/geometry.ts"
// One model, two number types: the mapper derives a template's cost terms by running the same
// analysis with polynomials in its tile shapes (algebra/).
export { NotPolynomial, type Value } from "./algebra/value.ts"
export * as algebra from "./algebra/value.ts"
export { type Monomial, Polynomial } from "./algebra/polynomial.ts"
export { loopCounter, loopCountPlan, type LoopCountPlan } from "./analysis/loop-counts.ts"
export { actionKey, type CostTerms, costTermsOf } from "./metrics/cost-terms.ts"
export { type ComponentCalls, type RawAction } from "./metrics/actions.ts"
export {
  type ActionLatency,
  componentLatency,
  latenciesByLevel,
  type LatenciesByLevel,
  latencyOfActions,
  latencyOfCalls,
  type LatencyScope
} from "./metrics/latency.ts"
export { type LatencyInputs } from "./metrics/compiled-latency.ts"
// What one value of a tensor costs at a level (the report's roofline reads it).
export { actionsPerValue, bitsPerValueAt } from "./analysis/level-facts.ts"
export { leakEnergy, leakPowers } from "./metrics/energy.ts"
// How Einsums compose into totals (latency across Einsums, leak, EDP).
export * from "./compose/composition.ts"
export { type EinsumCosts, einsumCosts } from "./compose/einsum-costs.ts"
export { ALL_OBJECTIVES, objectivesOf, SEQUENTIAL } from "./compose/sequential.ts"
export { composition, overlapComposition } from "./compose/overlapped.ts"
export { type BoundedObjective, type ObjectiveLowerBound, objectiveLowerBound } from "./compose/objective-bound.ts"
// Overlapped latency across Einsums (docs/overlapped-latency.md).
export * from "./compose/overlap.ts"
export * from "./compose/timeline.ts"
export { fusedTree } from "./mapping/fused-tree.ts"
export { deferrableTensors, einsumTimeline } from "./evaluate/overlap-timeline.ts"
export { deferrableWrites } from "./evaluate/deferrable-writes.ts"
export { offChipBytes, outermostMemoryLevel } from "./metrics/off-chip.ts"
