/**
 * @effect-accelforge/mapper: FFM's per-Einsum search (templates, tile shapes, Pareto pruning)
 * and the unfused whole-workload answer built from it.
 */
export * from "./errors.ts"
export * from "./pareto/index.ts"
export * from "./template/template.ts"
export { einsumFacts, sharedTensors, type EinsumFacts } from "./template/einsum-facts.ts"
export { templatesFor } from "./template/make-templates.ts"
export { divisorChains, countDivisorChains, divisors } from "./tiles/divisor-chains.ts"
export { enumerateTiles, loopCounts } from "./tiles/enumerate-tiles.ts"
export * from "./compatibility/compatibility.ts"
export * from "./generate/pmapping-table.ts"
export { generatePmappings, einsumTemplates, type GenerateOptions } from "./generate/generate-pmappings.ts"
export { objectivesOf } from "./generate/objectives.ts"
export { trackedMemories } from "./generate/memory-tracking.ts"
export { budgetOf, type Budget } from "./generate/limits.ts"
export { joinUnfused, type JoinedRow, type RowChoice } from "./unfused/choose-unfused.ts"
export * from "./unfused/map-unfused.ts"
export { sequentialMapping } from "./result/build-mapping.ts"
