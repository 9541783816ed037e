/**
 * A template as the model's pmapping, and scoring one tile-shape row of it with the model
 * itself: the row's tiles fill the loops, the model's analysis and cost terms give energy,
 * per-component latency and reservations, and the composition (model compose/) turns them
 * into the row's objective columns. Templates whose cost terms are polynomials are scored from
 * those (polynomial-score.ts); this is the path for the others, and the reference for both.
 */
import type { ArchNode, ComputeNode, LoadedSpec, MappingNode, SpatialNode, StorageNode, TemporalNode, TollNode } from "@effect-accelforge/core"
import {
  analyzeEinsum,
  type Column,
  type Composition,
  costsOfAnalysis,
  type EinsumCosts,
  deferrableTensors,
  einsumCosts,
  einsumStructure,
  type EinsumStructure,
  type HolderNode,
  latenciesByLevel,
  type LatenciesByLevel,
  leakPowers,
  type LoopNode,
  type Pmapping,
  type PmappingNode,
  type ReservationEntry,
  spatialUsage,
  type Value
} from "@effect-accelforge/model"
import type { LoopSlot, StorageSlot, Template } from "../template/template.ts"

export interface RowScore {
  /** The row's values of the search's columns (`PreparedTemplate.columns`). */
  readonly values: Float64Array
  /** Bits held per memory level (index = level in the flattened arch). */
  readonly bitsPerLevel: Float64Array
  /** Every reservation with its depth in the loop nest (for the joiner's per-depth accounting). */
  readonly reservations: ReadonlyArray<ReservationEntry>
}

/** The LoopTree node a template slot becomes (tile shapes filled in per row). */
export const storageNode = (slot: StorageSlot): StorageNode | TollNode =>
  slot.toll
    ? { $tag: "Toll", tensors: [slot.tensor], component: slot.component }
    : { $tag: "Storage", tensors: [slot.tensor], component: slot.component, persistent: slot.persistent }

export const loopNode = (slot: LoopSlot, tile: number): TemporalNode | SpatialNode =>
  slot.spatial
    ? { $tag: "Spatial", rank_variable: slot.rankVariable, tile_shape: tile, name: slot.dimension!, component: slot.component! }
    : { $tag: "Temporal", rank_variable: slot.rankVariable, tile_shape: tile }

/** The parts of a model pmapping that do not depend on tile shapes, built once per template. */
export interface PreparedTemplate {
  readonly template: Template
  readonly holders: ReadonlyArray<HolderNode | undefined>
  readonly compute: PmappingNode & { kind: "compute" }
  readonly computeNode: ComputeNode
  readonly levelOf: ReadonlyMap<string, number>
  readonly archNodes: ReadonlyArray<ArchNode>
  readonly scope: { variables: Readonly<Record<string, unknown>>; archVariables: Readonly<Record<string, unknown>> }
  readonly composition: Composition
  /** The columns a row is scored into. */
  readonly columns: ReadonlyArray<Column>
  /** Leak power of every leaking component (constant over the template's rows). */
  readonly leakPower: Float64Array
  /** Outputs whose landing in their backing holder the composition's mode takes off the critical path. */
  readonly deferrable: ReadonlySet<string>
  /** Each component's latency closure, made once for the template's rows (`scoreRow`), not per row. */
  readonly latencies: LatenciesByLevel
  /** The pmapping `analyzeTemplate` analyses and its structure, made on first use and kept with the template. */
  readonly analysed: () => AnalysedPmapping
}

/** A template's pmapping with its tile shapes left at 1 (the analysis takes tiles from its `tiles`), and its structure. */
interface AnalysedPmapping {
  readonly pmapping: Pmapping
  readonly structure: EinsumStructure
}

const path = (i: number) => ["mapping", "nodes", String(i)]

export const prepareTemplate = (template: Template, loaded: LoadedSpec, composition: Composition, columns: ReadonlyArray<Column>): PreparedTemplate => {
  const computeNode: ComputeNode = { $tag: "Compute", einsum: template.einsum, component: template.arch.compute }
  const computeAt = template.nodes.length - 1
  const holders = template.nodes.map((n, i): HolderNode | undefined =>
    n.kind === "storage"
      ? {
        kind: "holder", tensor: n.tensor, component: n.component, level: n.level, toll: n.toll, persistent: n.persistent,
        backing: n.backing, ref: { node: storageNode(n), path: path(i) }
      }
      : undefined
  )
  let analysed: AnalysedPmapping | undefined
  const scope = { variables: loaded.variables, archVariables: template.context.archVariables }
  const prepared: PreparedTemplate = {
    template,
    holders,
    compute: { kind: "compute", component: template.arch.compute, level: template.nodes[computeAt]!.level, ref: { node: computeNode, path: path(computeAt) } },
    computeNode,
    levelOf: new Map(template.arch.nodes.map((n, i) => [n.name, i] as const)),
    archNodes: loaded.spec.arch.nodes,
    scope,
    composition,
    columns,
    leakPower: leakPowers(template.context, loaded.spec.arch.nodes),
    deferrable: deferrableTensors(loaded.workload, composition.mode),
    latencies: latenciesByLevel(template.arch.nodes, scope),
    analysed: () => analysed ?? (analysed = analysedPmapping(prepared))
  }
  return prepared
}

const analysedPmapping = (prepared: PreparedTemplate): AnalysedPmapping => {
  const pmapping = rowPmapping(prepared, new Float64Array(prepared.template.loopPositions.length).fill(1), 0)
  return { pmapping, structure: einsumStructure(pmapping) }
}

/** The model's pmapping of one row (`tiles[offset + k]` is loop k's tile shape). */
export const rowPmapping = (prepared: PreparedTemplate, tiles: ArrayLike<number>, offset: number): Pmapping => {
  const t = prepared.template
  const nodes: Array<PmappingNode> = []
  const loops: Array<LoopNode> = []
  t.nodes.forEach((n, i) => {
    if (n.kind === "storage") nodes.push(prepared.holders[i]!)
    else if (n.kind === "loop") {
      const tile = tiles[offset + loops.length]!
      const loop: LoopNode = {
        kind: "loop", spatial: n.spatial, rankVariable: n.rankVariable, tileShape: tile, component: n.component,
        level: n.level, dimension: n.dimension, order: loops.length, ref: { node: loopNode(n, tile), path: path(i) }
      }
      loops.push(loop)
      nodes.push(loop)
    } else nodes.push(prepared.compute)
  })
  const einsumPath = {
    einsum: t.einsum,
    nodes: nodes.map((n) => n.ref),
    branches: [],
    compute: prepared.computeNode,
    computePath: path(t.nodes.length - 1)
  }
  return { einsum: t.einsum, path: einsumPath, context: t.context, arch: t.arch, levelOf: prepared.levelOf, nodes, loops, compute: prepared.compute }
}

/** The template's pmapping analysed with `tiles` (numbers for one row, or symbols for the cost terms). */
export const analyzeTemplate = <V extends Value>(prepared: PreparedTemplate, tiles: ArrayLike<V>) => {
  const { pmapping, structure } = prepared.analysed()
  return analyzeEinsum(pmapping, new Map(), tiles, structure)
}

/** The composition's record of one Einsum's costs for this template (refilled per row). */
export const einsumCostsOf = (prepared: PreparedTemplate, components: ReadonlyArray<string>): EinsumCosts =>
  einsumCosts(prepared.template.context.einsum.nInstances, components, prepared.leakPower)

/** Score one row with the full model (for templates without polynomial cost terms). */
export const scoreRow = (prepared: PreparedTemplate, tiles: ArrayLike<number>, offset: number): RowScore => {
  // A plain array, as the checks' rows are (verified-cost-terms.ts): the analysis's code sees one kind of tile list.
  const row: Array<number> = []
  for (let k = 0; k < prepared.template.loopPositions.length; k++) row.push(tiles[offset + k]!)
  // The template's structure, made once, and the costs alone (the report's entries are for the
  // chosen mapping), with the model's one refusal among those entries: a fanout exceeded.
  const analysis = analyzeTemplate(prepared, row)
  spatialUsage(analysis)
  const { terms, costs } = costsOfAnalysis(analysis, prepared.archNodes, prepared.scope, prepared.deferrable, prepared.leakPower, prepared.latencies)
  const values = new Float64Array(prepared.columns.length)
  prepared.composition.einsumValues(prepared.columns, costs, values)
  const bitsPerLevel = new Float64Array(prepared.template.arch.nodes.length)
  for (const r of terms.reservations) bitsPerLevel[r.level]! += r.bits
  return { values, bitsPerLevel, reservations: terms.reservations }
}

/** The LoopTree chain of one row (for the final mapping). */
export const rowMappingNodes = (template: Template, tiles: ArrayLike<number>, offset: number): Array<MappingNode> => {
  let k = 0
  return template.nodes.map((n): MappingNode =>
    n.kind === "storage"
      ? storageNode(n)
      : n.kind === "loop"
      ? loopNode(n, tiles[offset + k++]!)
      : { $tag: "Compute", einsum: template.einsum, component: template.arch.compute }
  )
}
