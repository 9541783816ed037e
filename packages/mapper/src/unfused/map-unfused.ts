/**
 * The whole unfused search of a spec: resolve every Einsum, generate and prune its pmappings,
 * join the per-Einsum fronts, pick the best row for the metric, rebuild it as one LoopTree and
 * re-evaluate it with the model, so the numbers reported are the model's.
 */
import { Result } from "effect"
import { type EinsumContext, type LoadedSpec, type MapperConfig, resolveAll } from "@effect-accelforge/core"
import { type EvaluationResult, evaluateMapping, type MappingSource } from "@effect-accelforge/model"
import { NoValidMappingError } from "../errors.ts"
import { generatePmappings } from "../generate/generate-pmappings.ts"
import { type Budget, budgetOf } from "../generate/limits.ts"
import { trackedMemories } from "../generate/memory-tracking.ts"
import { objectivesOf, usesEdp, usesResourceObjective } from "../generate/objectives.ts"
import type { EinsumCounters, PmappingTable } from "../generate/pmapping-table.ts"
import { sequentialMapping } from "../result/build-mapping.ts"
import { sharedTensors } from "../template/einsum-facts.ts"
import { type JoinedRow, joinUnfused } from "./choose-unfused.ts"

export interface SearchProgress {
  readonly einsum: string
  readonly einsumIndex: number
  readonly einsums: number
  readonly templatesDone: number
  readonly templates: number
}

export interface MapResult {
  readonly source: MappingSource
  readonly evaluation: EvaluationResult
  /** The mapper's own objective sums for the chosen row (the model's re-evaluation is `evaluation`). */
  readonly objectives: Readonly<Record<string, number>>
  /** Rows of the final Pareto front (1 for a single objective or EDP). */
  readonly frontSize: number
  readonly tables: ReadonlyArray<PmappingTable>
  readonly counters: ReadonlyArray<EinsumCounters>
  readonly wallTimeMs: number
}

export interface SearchSetup {
  readonly contexts: ReadonlyArray<EinsumContext>
  readonly fusable: ReadonlySet<string>
  readonly tracked: ReadonlyArray<string>
  readonly config: MapperConfig
  readonly outermost: string
}

export const searchSetup = (loaded: LoadedSpec, config: MapperConfig = loaded.spec.mapper): SearchSetup => {
  const contexts = resolveAll(loaded)
  if (Result.isFailure(contexts)) throw contexts.failure
  const firstMemory = contexts.success[0]?.components.find((c) => c.kind === "Memory")
  if (objectivesOf(config.metrics).length === 0) {
    throw new NoValidMappingError({ reason: "the metric set has no objective the mapper can minimize: use energy, latency, edp (or dynamic_energy / leak_energy)" })
  }
  return {
    contexts: contexts.success,
    fusable: sharedTensors(loaded.workload.einsums),
    tracked: trackedMemories(contexts.success, loaded.workload.tensorsByName, usesResourceObjective(config.metrics)),
    config,
    outermost: firstMemory?.name ?? ""
  }
}

export const generateAll = (
  loaded: LoadedSpec,
  setup: SearchSetup,
  budget?: Budget,
  onProgress?: (p: SearchProgress) => void
): Array<PmappingTable> =>
  setup.contexts.map((ctx, i) =>
    generatePmappings(ctx, {
      loaded,
      config: setup.config,
      fusable: setup.fusable,
      tracked: setup.tracked,
      nEinsums: setup.contexts.length,
      ...(budget === undefined ? {} : { budget }),
      ...(onProgress === undefined ? {} : {
        onTemplate: (done: number, total: number) =>
          onProgress({ einsum: ctx.einsum.name, einsumIndex: i, einsums: setup.contexts.length, templatesDone: done, templates: total })
      })
    })
  )

const lexicographicallyLess = (a: Float64Array, b: Float64Array): boolean => {
  for (let c = 0; c < a.length; c++) if (a[c] !== b[c]) return a[c]! < b[c]!
  return false
}

/** The best row of the front: min E·L for EDP, else the lexicographically smallest objectives (first wins ties). */
export const pickBest = (front: ReadonlyArray<JoinedRow>, metrics: number): JoinedRow => {
  const names = objectivesOf(metrics)
  const energy = names.indexOf("energy")
  const latency = names.indexOf("latency")
  const edp = (r: JoinedRow) => r.objectives[energy]! * r.objectives[latency]!
  let best = front[0]!
  for (const r of front) {
    if (usesEdp(metrics) ? edp(r) < edp(best) : lexicographicallyLess(r.objectives, best.objectives)) best = r
  }
  return best
}

export const finishUnfused = (loaded: LoadedSpec, setup: SearchSetup, tables: ReadonlyArray<PmappingTable>, started: number): MapResult => {
  const front = joinUnfused(tables, setup.outermost)
  const best = pickBest(front, setup.config.metrics)
  const source = sequentialMapping(tables, best.choices)
  const evaluated = evaluateMapping(loaded, source)
  if (Result.isFailure(evaluated)) throw evaluated.failure
  const names = objectivesOf(setup.config.metrics)
  const objectives: Record<string, number> = Object.fromEntries(names.map((n, c) => [n, best.objectives[c]!]))
  if (usesEdp(setup.config.metrics)) objectives.edp = objectives.energy! * objectives.latency!
  return {
    source,
    evaluation: evaluated.success,
    objectives,
    frontSize: front.length,
    tables,
    counters: tables.map((t) => t.counters),
    wallTimeMs: Date.now() - started
  }
}

/** Map every Einsum alone and return the best whole-workload result (synchronous, one thread). */
export const mapUnfused = (loaded: LoadedSpec, config: MapperConfig = loaded.spec.mapper, onProgress?: (p: SearchProgress) => void): MapResult => {
  const started = Date.now()
  const setup = searchSetup(loaded, config)
  const budget = budgetOf(config.time_limit, config.memory_limit, started)
  return finishUnfused(loaded, setup, generateAll(loaded, setup, budget, onProgress), started)
}
