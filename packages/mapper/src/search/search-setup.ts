/**
 * What every stage of one search shares, computed once from the loaded spec: every Einsum's
 * resolved context and templates, the tensors shared between Einsums, the memories whose use
 * is carried as a column, which Einsums pose the same search, and how Einsums compose.
 */
import { Result } from "effect"
import { type EinsumContext, type LoadedSpec, type MapperConfig, resolveAll } from "@effect-accelforge/core"
import { type Column, type Composition, composition, type CompositionShape, deferrableTensors } from "@effect-accelforge/model"
import { NoValidMappingError } from "../errors.ts"
import { einsumTemplates, type GenerateOptions } from "../generate/generate-pmappings.ts"
import { searchRepresentatives } from "../generate/isomorphic-einsums.ts"
import { trackedMemories } from "../generate/memory-tracking.ts"
import { searchedMetrics, usesResourceObjective } from "../generate/objectives.ts"
import { einsumFacts, sharedTensors } from "../template/einsum-facts.ts"
import { checkSupportedKnobs } from "./unsupported-knobs.ts"
import type { Template } from "../template/template.ts"

export interface SearchSetup {
  readonly contexts: ReadonlyArray<EinsumContext>
  readonly fusable: ReadonlySet<string>
  readonly tracked: ReadonlyArray<string>
  /** Every Einsum's templates, in the order of `contexts` (built once: memory tracking needs them all). */
  readonly templates: ReadonlyArray<ReadonlyArray<Template>>
  /** Per Einsum, the first Einsum with the same search up to tensor names (itself when none): only those are searched. */
  readonly sameSearchAs: ReadonlyArray<number>
  /** The config the search runs with: its metrics include the tie-break objectives (`searchedMetrics`). */
  readonly config: MapperConfig
  /** The metrics the user asked for (the pick orders the front by these first). */
  readonly askedMetrics: number
  /** How Einsums compose into totals (model compose/), and the objective columns it gives the metrics. */
  readonly composition: Composition
  /** What the composition's columns are laid out over (a worker thread lays them out again from it). */
  readonly shape: CompositionShape
  readonly columns: ReadonlyArray<Column>
}

/**
 * What a mode that overlaps Einsums lays its columns out over: every component on any Einsum's
 * compute paths, and the most fused loops of any template (no Einsum shares more).
 */
const compositionShape = (
  loaded: LoadedSpec, mode: Composition, contexts: ReadonlyArray<EinsumContext>, templates: ReadonlyArray<ReadonlyArray<Template>>
): CompositionShape => {
  const deferrable = deferrableTensors(loaded.workload, mode.mode)
  return {
    components: [...new Set(contexts.flatMap((ctx) => ctx.computePaths.flatMap((p) => p.nodes.map((n) => n.name))))],
    maxDepth: Math.max(0, ...templates.flat().map((t) => t.nodes.filter((n) => n.kind === "loop" && n.fused).length)),
    // Where a deferrable output may land in its backing holder.
    deferring: [...new Set(templates.flat().flatMap((t) => t.nodes.flatMap((n) => (n.kind === "storage" && n.backing && deferrable.has(n.tensor) ? [n.component] : []))))]
  }
}

/** What a worker thread's setup takes from the main thread's instead of computing it again. */
export interface KnownSetup {
  /** `SearchSetup.sameSearchAs` as the main thread found it (comparing every Einsum's templates costs a cold worker 0.05 to 0.2 s). */
  readonly sameSearchAs?: ReadonlyArray<number>
}

/** `mode`: how Einsums compose (default: the config's `overlap`); `known`: parts computed already (KnownSetup). */
export const searchSetup = (
  loaded: LoadedSpec, asked: MapperConfig = loaded.spec.mapper, mode: Composition = composition(asked.overlap), known: KnownSetup = {}
): SearchSetup => {
  checkSupportedKnobs(loaded, asked)
  const config = { ...asked, metrics: searchedMetrics(asked.metrics, asked._tie_break) }
  const contexts = resolveAll(loaded)
  if (Result.isFailure(contexts)) throw contexts.failure
  const fusable = sharedTensors(loaded.workload.einsums)
  const templates = contexts.success.map((ctx) => einsumTemplates(ctx, einsumFacts(ctx, fusable), config))
  const shape = compositionShape(loaded, mode, contexts.success, templates)
  const composed = mode.forSearch(shape)
  const columns = composed.columns(config.metrics)
  if (columns.length === 0) {
    throw new NoValidMappingError({ reason: "the metric set has no objective the mapper can minimize: use energy, latency, edp (or dynamic_energy / leak_energy)" })
  }
  return {
    contexts: contexts.success,
    fusable,
    tracked: trackedMemories(contexts.success, loaded.workload.tensorsByName, templates, usesResourceObjective(config.metrics)),
    templates,
    sameSearchAs: known.sameSearchAs ??
      (config._reuse_isomorphic_einsums ? searchRepresentatives(contexts.success, templates, fusable) : contexts.success.map((_, i) => i)),
    config,
    askedMetrics: asked.metrics,
    composition: composed,
    shape,
    columns
  }
}

/** What generating Einsum `ctx`'s pmappings takes from the setup (its templates when `ctx` is one of the setup's). */
export const generateOptionsOf = (loaded: LoadedSpec, setup: SearchSetup, ctx: EinsumContext): GenerateOptions => {
  const templates = setup.templates[setup.contexts.indexOf(ctx)]
  return {
    loaded, config: setup.config, fusable: setup.fusable, tracked: setup.tracked, nEinsums: setup.contexts.length,
    composition: setup.composition,
    ...(templates === undefined ? {} : { templates })
  }
}

/** The tensors each Einsum uses, in workload order. */
export const einsumTensors = (setup: SearchSetup): Array<Set<string>> =>
  setup.contexts.map((ctx) => new Set(ctx.einsum.accesses.map((a) => a.tensor)))
