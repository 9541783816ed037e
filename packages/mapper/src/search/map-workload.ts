/**
 * The whole search of a spec: resolve every Einsum, generate and prune its pmappings, join them
 * into fused mappings (FFM §5), pick the best row for the metric, rebuild it as one LoopTree and
 * re-evaluate it with the model, so the numbers reported are the model's.
 */
import { Result } from "effect"
import { type EinsumContext, type LoadedSpec, type MapperConfig, resolveAll } from "@effect-accelforge/core"
import { type EvaluationResult, evaluateMapping, type MappingSource } from "@effect-accelforge/model"
import { NoValidMappingError } from "../errors.ts"
import { einsumTemplates, type GenerateOptions, generatePmappings } from "../generate/generate-pmappings.ts"
import { type Budget, budgetOf } from "../generate/limits.ts"
import { trackedMemories } from "../generate/memory-tracking.ts"
import { edpOnly, objectivesOf, usesEdp, usesResourceObjective } from "../generate/objectives.ts"
import type { EinsumCounters, PmappingTable } from "../generate/pmapping-table.ts"
import { allTables, searchRepresentatives } from "../generate/isomorphic-einsums.ts"
import type { JoinGroup } from "../join/join-group.ts"
import { joinPmappings, type JoinResult, type JoinStep } from "../join/join-pmappings.ts"
import { einsumChain, fusedMapping } from "../result/fused-mapping.ts"
import { einsumFacts, sharedTensors } from "../template/einsum-facts.ts"
import type { Template } from "../template/template.ts"

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
  /** What each join step did (also the lines of `_runtime_log_file`). */
  readonly joinSteps: ReadonlyArray<JoinStep>
  readonly wallTimeMs: number
}

export interface SearchSetup {
  readonly contexts: ReadonlyArray<EinsumContext>
  readonly fusable: ReadonlySet<string>
  readonly tracked: ReadonlyArray<string>
  /** Every Einsum's templates, in the order of `contexts` (built once: memory tracking needs them all). */
  readonly templates: ReadonlyArray<ReadonlyArray<Template>>
  /** Per Einsum, the first Einsum with the same search up to tensor names (itself when none): only those are searched. */
  readonly sameSearchAs: ReadonlyArray<number>
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
  const fusable = sharedTensors(loaded.workload.einsums)
  const templates = contexts.success.map((ctx) => einsumTemplates(ctx, einsumFacts(ctx, fusable), config))
  return {
    contexts: contexts.success,
    fusable,
    tracked: trackedMemories(contexts.success, loaded.workload.tensorsByName, templates, usesResourceObjective(config.metrics)),
    templates,
    sameSearchAs: config._reuse_isomorphic_einsums ? searchRepresentatives(contexts.success, templates, fusable) : contexts.success.map((_, i) => i),
    config,
    outermost: firstMemory?.name ?? ""
  }
}

/** What generating Einsum `ctx`'s pmappings takes from the setup (its templates when `ctx` is one of the setup's). */
export const generateOptionsOf = (loaded: LoadedSpec, setup: SearchSetup, ctx: EinsumContext): GenerateOptions => {
  const templates = setup.templates[setup.contexts.indexOf(ctx)]
  return {
    loaded, config: setup.config, fusable: setup.fusable, tracked: setup.tracked, nEinsums: setup.contexts.length,
    ...(templates === undefined ? {} : { templates })
  }
}

export const generateAll = (
  loaded: LoadedSpec,
  setup: SearchSetup,
  budget?: Budget,
  onProgress?: (p: SearchProgress) => void
): Array<PmappingTable> =>
  allTables(setup.contexts, setup.templates, setup.sameSearchAs, (i) => {
    const ctx = setup.contexts[i]!
    return generatePmappings(ctx, {
      ...generateOptionsOf(loaded, setup, ctx),
      ...(budget === undefined ? {} : { budget }),
      ...(onProgress === undefined ? {} : {
        onTemplate: (done: number, total: number) =>
          onProgress({ einsum: ctx.einsum.name, einsumIndex: i, einsums: setup.contexts.length, templatesDone: done, templates: total })
      })
    })
  })

const lexicographicallyLess = (front: JoinGroup, a: number, b: number): boolean => {
  for (const column of front.objectives) if (column[a] !== column[b]) return column[a]! < column[b]!
  return false
}

/** The best row of the front: min E·L for EDP, else the lexicographically smallest objectives (first wins ties). */
export const pickBest = (front: JoinGroup, metrics: number): number => {
  const names = objectivesOf(metrics)
  const energy = front.objectives[names.indexOf("energy")]
  const latency = front.objectives[names.indexOf("latency")]
  const edp = (r: number) => energy![r]! * latency![r]!
  let best = 0
  for (let r = 1; r < front.rows; r++) {
    if (usesEdp(metrics) ? edp(r) < edp(best) : lexicographicallyLess(front, r, best)) best = r
  }
  return best
}

/** The LoopTree of one row of the joined front. */
export const mappingOfRow = (tables: ReadonlyArray<PmappingTable>, front: JoinGroup, row: number): MappingSource =>
  fusedMapping(tables.map((table, e) => einsumChain(table, front.choices[e]![row]!, front.attach[e]![row]!)))

/** The tensors each Einsum uses, in workload order. */
export const einsumTensors = (setup: SearchSetup): Array<Set<string>> =>
  setup.contexts.map((ctx) => new Set(ctx.einsum.accesses.map((a) => a.tensor)))

/** Pick the best joined row, rebuild it as one LoopTree and let the model evaluate it. */
export const finishSearch = (loaded: LoadedSpec, setup: SearchSetup, tables: ReadonlyArray<PmappingTable>, joined: JoinResult, started: number): MapResult => {
  const front = joined.front
  const best = pickBest(front, setup.config.metrics)
  const source = mappingOfRow(tables, front, best)
  const evaluated = evaluateMapping(loaded, source)
  if (Result.isFailure(evaluated)) throw evaluated.failure
  const names = objectivesOf(setup.config.metrics)
  const objectives: Record<string, number> = Object.fromEntries(names.map((n, c) => [n, front.objectives[c]![best]!]))
  if (usesEdp(setup.config.metrics)) objectives.edp = objectives.energy! * objectives.latency!
  return {
    source,
    evaluation: evaluated.success,
    objectives,
    frontSize: edpOnly(setup.config.metrics) ? 1 : front.rows,
    tables,
    counters: tables.map((t) => t.counters),
    joinSteps: joined.steps,
    wallTimeMs: Date.now() - started
  }
}

/** Join the tables and finish (synchronous). */
export const joinAndFinish = (loaded: LoadedSpec, setup: SearchSetup, tables: ReadonlyArray<PmappingTable>, started: number, budget?: Budget): MapResult =>
  finishSearch(loaded, setup, tables, joinPmappings(tables, { config: setup.config, einsumTensors: einsumTensors(setup), ...(budget === undefined ? {} : { budget }) }), started)

/** The whole search: every Einsum's pmappings, joined into the best fused mapping (synchronous, one thread). */
export const mapWorkload = (loaded: LoadedSpec, config: MapperConfig = loaded.spec.mapper, onProgress?: (p: SearchProgress) => void): MapResult => {
  const started = Date.now()
  const setup = searchSetup(loaded, config)
  const budget = budgetOf(config.time_limit, config.memory_limit, started)
  return joinAndFinish(loaded, setup, generateAll(loaded, setup, budget, onProgress), started, budget)
}
