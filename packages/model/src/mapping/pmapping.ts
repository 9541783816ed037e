/**
 * One Einsum's pmapping (model §1.3): its path through the tree with holders narrowed to the
 * tensors it uses and split into one node per tensor, loops with evaluated tile shapes, user
 * Reservations and TextBoxes dropped, and every component looked up in the flattened arch of
 * its Compute. This is where a mapping is checked for problems that do not need the analysis.
 */
import { Result } from "effect"
import {
  type ComputePath,
  type EinsumContext,
  evaluateValue,
  type ResolvedComponent,
  scopeFromRecord,
  textOf
} from "@effect-accelforge/core"
import { InvalidMappingError } from "../errors.ts"
import type { EinsumPath, PathNode } from "./split.ts"

export interface HolderNode {
  readonly kind: "holder"
  readonly tensor: string
  readonly component: string
  /** Position of the component in the flattened arch (outermost = 0). */
  readonly level: number
  /** A `!Toll`: pass-through, charges reads, holds nothing. */
  readonly toll: boolean
  readonly persistent: boolean
  /** The outermost holder of its tensor in this pmapping. */
  readonly backing: boolean
  readonly ref: PathNode
}

export interface LoopNode {
  readonly kind: "loop"
  readonly spatial: boolean
  readonly rankVariable: string
  readonly tileShape: number
  /** Spatial loops: the arch node owning the dimension, its level and the dimension name. */
  readonly component: string | undefined
  readonly level: number
  readonly dimension: string | undefined
  /** Index among the pmapping's loops, outermost first. */
  readonly order: number
  readonly ref: PathNode
}

export interface ComputeLeaf {
  readonly kind: "compute"
  readonly component: string
  readonly level: number
  readonly ref: PathNode
}

export type PmappingNode = HolderNode | LoopNode | ComputeLeaf

export interface Pmapping {
  readonly einsum: string
  /** The Einsum's path through the mapping tree, as written. */
  readonly path: EinsumPath
  readonly context: EinsumContext
  /** The flattened arch of the Compute this Einsum runs on. */
  readonly arch: ComputePath
  /** Component name → position in `arch.nodes`. */
  readonly levelOf: ReadonlyMap<string, number>
  /** Outermost first, ending with the Compute. */
  readonly nodes: ReadonlyArray<PmappingNode>
  readonly loops: ReadonlyArray<LoopNode>
  readonly compute: ComputeLeaf
}

const invalid = (einsum: string, ref: PathNode | undefined, reason: string): never => {
  throw new InvalidMappingError({ reason, einsum, ...(ref === undefined ? {} : { path: [...ref.path] }) })
}

const TAG_KIND: Record<string, ResolvedComponent["kind"]> = { Storage: "Memory", Toll: "Toll" }

/** The arch node named `name` in the flattened arch, or a message saying why it is not usable. */
const lookupComponent = (
  ctx: EinsumContext,
  arch: ComputePath,
  levelOf: ReadonlyMap<string, number>,
  name: string
): { level: number; component: ResolvedComponent } | string => {
  const level = levelOf.get(name)
  if (level !== undefined) return { level, component: arch.nodes[level]! }
  const known = ctx.components.some((c) => c.name === name)
  return known
    ? `component ${name} is not on the arch path to compute ${arch.compute} (path: ${arch.nodes.map((n) => n.name).join(" -> ")})`
    : `unknown component ${name}; the arch has ${ctx.components.map((c) => c.name).join(", ")}`
}

const evaluateTileShape = (raw: unknown, variables: Readonly<Record<string, unknown>>, einsum: string, ref: PathNode): number => {
  const value = evaluateValue(raw, scopeFromRecord(variables))
  if (Result.isFailure(value)) return invalid(einsum, ref, `tile_shape ${textOf(raw) ?? String(raw)}: ${value.failure.reason}`)
  const n = value.success
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    return invalid(einsum, ref, `tile_shape must be a positive integer, got ${JSON.stringify(n) ?? String(n)}`)
  }
  return n
}

const tensorList = (tensors: ReadonlyArray<string> | string): ReadonlyArray<string> =>
  typeof tensors === "string" ? [tensors] : tensors

/** The compute path this Einsum's `!Compute` names. */
const computePathFor = (ctx: EinsumContext, path: EinsumPath): ComputePath => {
  const ref: PathNode = { node: path.compute, path: path.computePath }
  const arch = ctx.computePaths.find((p) => p.compute === path.compute.component)
  if (arch === undefined) {
    const other = ctx.components.find((c) => c.name === path.compute.component)
    return invalid(path.einsum, ref, other === undefined
      ? `unknown compute component ${path.compute.component}`
      : `${path.compute.component} is a ${other.kind}, not a Compute`)
  }
  if (!arch.enabled) invalid(path.einsum, ref, `compute ${arch.compute} is not enabled for Einsum ${path.einsum}`)
  return arch
}

/** Build and check one Einsum's pmapping. Throws InvalidMappingError. */
export const buildPmapping = (path: EinsumPath, ctx: EinsumContext, knownTensors: ReadonlySet<string>): Pmapping => {
  const einsum = path.einsum
  const arch = computePathFor(ctx, path)
  const levelOf = new Map(arch.nodes.map((n, i) => [n.name, i] as const))
  const uses = new Set(ctx.einsum.accesses.map((a) => a.tensor))
  const nodes: Array<PmappingNode> = []
  const loops: Array<LoopNode> = []
  const held = new Set<string>()
  const placed = new Set<string>()

  for (const ref of path.nodes) {
    const node = ref.node
    switch (node.$tag) {
      case "Storage":
      case "Toll": {
        const found = lookupComponent(ctx, arch, levelOf, node.component)
        if (typeof found === "string") return invalid(einsum, ref, found)
        if (found.component.kind !== TAG_KIND[node.$tag]) {
          invalid(einsum, ref, `!${node.$tag} needs a ${TAG_KIND[node.$tag]}, but ${node.component} is a ${found.component.kind}`)
        }
        if (found.component.enabled === false) invalid(einsum, ref, `${node.component} is disabled for Einsum ${einsum}`)
        for (const tensor of tensorList(node.tensors)) {
          if (!knownTensors.has(tensor)) invalid(einsum, ref, `unknown tensor ${tensor}`)
          if (!uses.has(tensor)) continue
          const key = `${node.component}/${tensor}`
          if (placed.has(key)) invalid(einsum, ref, `${tensor} is stored in ${node.component} twice on this path`)
          placed.add(key)
          const backing = !held.has(tensor)
          if (backing && node.$tag === "Toll") {
            invalid(einsum, ref, `${tensor} passes through the Toll ${node.component} before any memory stores it; a Toll cannot back a tensor`)
          }
          held.add(tensor)
          nodes.push({
            kind: "holder", tensor, component: node.component, level: found.level, toll: node.$tag === "Toll",
            persistent: node.$tag === "Storage" && node.persistent, backing, ref
          })
        }
        break
      }
      case "Temporal":
      case "Spatial": {
        const rankVariable = loopVariableFor(node.rank_variable, ctx.einsum.bounds)
        const bound = ctx.einsum.bounds.get(rankVariable)
        if (bound === undefined) {
          invalid(einsum, ref, `rank variable ${node.rank_variable} is not one of Einsum ${einsum}'s (${[...ctx.einsum.bounds.keys()].join(", ")})`)
        }
        const tile = bound === 1 ? 1 : evaluateTileShape(node.tile_shape, ctx.variables, einsum, ref)
        // A tile larger than the rank would be modelled as iterating past its end. A loop that
        // names one rank variable has one bound in every Einsum; a fused loop over `{f, h}`
        // may legitimately take a tile from the larger of its variables, so it is not checked.
        if (bound !== undefined && tile > bound && rankVariable === node.rank_variable.trim()) {
          invalid(einsum, ref, `tile_shape ${tile} is larger than rank variable ${rankVariable}'s bound ${bound}; a tile can cover at most the whole rank`)
        }
        let component: string | undefined
        let level = -1
        let dimension: string | undefined
        if (node.$tag === "Spatial") {
          const found = lookupComponent(ctx, arch, levelOf, node.component)
          if (typeof found === "string") return invalid(einsum, ref, found)
          if (!found.component.spatial.some((s) => s.name === node.name)) {
            const dims = found.component.spatial.map((s) => s.name)
            invalid(einsum, ref, `${node.component} has no spatial dimension ${node.name}${dims.length === 0 ? " (it has no fanout)" : ` (it has ${dims.join(", ")})`}`)
          }
          component = node.component
          level = found.level
          dimension = node.name
        }
        const loop: LoopNode = {
          kind: "loop", spatial: node.$tag === "Spatial", rankVariable, tileShape: tile,
          component, level, dimension, order: loops.length, ref
        }
        loops.push(loop)
        nodes.push(loop)
        break
      }
      case "Compute": {
        nodes.push({ kind: "compute", component: node.component, level: levelOf.get(node.component)!, ref })
        break
      }
      default:
        break // Reservations are recomputed by the model; TextBoxes only draw.
    }
  }
  checkTileOneLoops(ctx, loops, einsum, path)
  for (const tensor of uses) {
    if (!held.has(tensor)) invalid(einsum, { node: path.compute, path: path.computePath }, `tensor ${tensor} is never stored: add it to a !Storage above the !Compute`)
  }
  const compute = nodes[nodes.length - 1] as ComputeLeaf
  return { einsum, path, context: ctx, arch, levelOf, nodes, loops, compute }
}

/** Every rank variable with bound > 1 needs a loop of tile 1, so the Compute sees one point. */
const checkTileOneLoops = (ctx: EinsumContext, loops: ReadonlyArray<LoopNode>, einsum: string, path: EinsumPath): void => {
  for (const [variable, bound] of ctx.einsum.bounds) {
    if (bound <= 1) continue
    if (!loops.some((l) => l.rankVariable === variable && l.tileShape === 1)) {
      invalid(einsum, { node: path.compute, path: path.computePath },
        `Missing loop with tile_shape 1 for rank variable ${variable} (bound ${bound}); every rank variable with a bound above 1 must be iterated down to tile 1`)
    }
  }
}

/**
 * A loop shared by several Einsums may name one rank variable per Einsum as a set, e.g.
 * `{n0, n1}` (the fused mapper writes this when the Einsums index the shared rank with
 * different variables); each Einsum uses the member it has.
 */
const loopVariableFor = (written: string, bounds: ReadonlyMap<string, number>): string => {
  const trimmed = written.trim()
  if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) return written
  const members = trimmed.slice(1, -1).split(",").map((v) => v.trim()).filter((v) => v.length > 0)
  return members.find((v) => bounds.has(v)) ?? written
}
