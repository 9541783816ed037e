/**
 * Analysis of a decoded workload: per Einsum its accesses, iteration space, rank-variable
 * bounds and op count; per tensor its ranks, shape and size; the `EinsumFacts` the set
 * machinery needs; and the §3.7 checks that don't need set evaluation.
 */
import * as Result from "effect/Result"
import { EvaluationError } from "../errors.ts"
import type { RenameEntry } from "../sets/rename-entry.ts"
import type { Interval } from "./affine.ts"
import type { EinsumFacts, TensorFacts } from "./einsum-facts.ts"
import {
  type BoundsFailure,
  buildIterationSpace,
  imageRange,
  type IterationSpace,
  type LinearConstraint,
  parseConstraints,
  pointCount,
  rankSizeConstraints
} from "./iteration-space.ts"
import { normalizeProjection, type Projection, rankVariablesOf, type RawProjection } from "./projection.ts"
import { evaluateRankSizes } from "./rank-sizes.ts"
import type { Workload } from "./schema.ts"

export interface AccessAnalysis {
  readonly tensor: string
  /** Ranks in written order, each with its expression. */
  readonly projection: Projection
  readonly ranks: ReadonlyArray<string>
  /** Identifiers of the projection, first-seen order. */
  readonly rankVariables: ReadonlyArray<string>
  readonly output: boolean
  readonly persistent: boolean
  readonly backingStorageSizeScale: number
  /** Only when written on the access; the workload `bits_per_value` dict is applied later. */
  readonly bitsPerValue: number | undefined
}

export interface RankVariableRange extends Interval {
  readonly variable: string
  /** max − min + 1 */
  readonly bound: number
}

export interface EinsumAnalysis {
  readonly name: string
  /** Accesses in written order. */
  readonly accesses: ReadonlyArray<AccessAnalysis>
  readonly inputs: ReadonlyArray<string>
  readonly output: string
  /** The dimensions of the iteration space, first-seen order over the accesses. */
  readonly rankVariables: ReadonlyArray<RankVariableRange>
  readonly bounds: ReadonlyMap<string, number>
  readonly iterationSpace: IterationSpace
  /** Product of the rank-variable bounds (exact when `iterationSpace.isBox`). Not zeroed for copies. */
  readonly opCount: number
  readonly isCopyOperation: boolean
  /** Einsum `n_instances` × workload `n_instances`. */
  readonly nInstances: number
  readonly renames: ReadonlyArray<RenameEntry>
  readonly facts: EinsumFacts
}

export interface TensorRankShape extends Interval {
  readonly rank: string
  /** max − min + 1 of the projection's image (0 if the intersection is empty). */
  readonly extent: number
}

export interface TensorAnalysis {
  readonly name: string
  /** Ranks in the order of the tensor's first access. */
  readonly ranks: ReadonlyArray<string>
  readonly shape: ReadonlyArray<TensorRankShape>
  /** Product of the rank extents, in values. */
  readonly size: number
  readonly writtenBy: ReadonlyArray<string>
  readonly readBy: ReadonlyArray<string>
  /** `persistent: true` on its accesses (not `workload.persistent_tensors`). */
  readonly persistent: boolean
}

export interface WorkloadAnalysis {
  readonly einsums: ReadonlyArray<EinsumAnalysis>
  readonly einsumsByName: ReadonlyMap<string, EinsumAnalysis>
  /** Every tensor, first-seen order. */
  readonly tensors: ReadonlyArray<TensorAnalysis>
  readonly tensorsByName: ReadonlyMap<string, TensorAnalysis>
  /** Workload `rank_sizes`, evaluated. */
  readonly rankSizes: Readonly<Record<string, number>>
  /** Every rank variable's bound (identical in every Einsum that uses it), first-seen order. */
  readonly rankVariableBounds: ReadonlyMap<string, number>
  readonly nInstances: number
}

type Path = ReadonlyArray<string>

const error = (path: Path, reason: string): Result.Result<never, EvaluationError> =>
  Result.fail(new EvaluationError({ path, reason }))

const pushUnique = <A>(list: Array<A>, item: A): void => {
  if (!list.includes(item)) list.push(item)
}

const boundsFailureMessage = (einsum: string, failure: BoundsFailure): string => {
  switch (failure._tag) {
    case "Unbounded":
      return `rank variable ${failure.variable} of Einsum ${einsum} has no finite bound. Are all rank variables bounded? Give its rank a size in rank_sizes, or constrain it in iteration_space_shape`
    case "Empty":
      return `the iteration space of Einsum ${einsum} is empty (${failure.variable} has no value satisfying ${JSON.stringify(failure.constraint.source)})`
    case "UnknownVariable":
      return `${JSON.stringify(failure.constraint.source)} uses ${failure.variable}, which is not a rank variable of Einsum ${einsum}`
  }
}

/**
 * What `run` needs of the dataflow: one writer per tensor, and no cycle (an Einsum that
 * needs, through other Einsums, its own output has no order in which it can be computed).
 */
const checkDataflow = (
  prepared: ReadonlyArray<PreparedEinsum>,
  writers: ReadonlyMap<string, ReadonlyArray<PreparedEinsum>>,
  readers: ReadonlyMap<string, ReadonlyArray<PreparedEinsum>>
): { readonly path: Path; readonly reason: string } | undefined => {
  for (const [tensor, written] of writers) {
    if (written.length > 1) {
      const names = written.map((e) => e.name)
      return {
        path: [...written[1]!.path, "tensor_accesses", tensor],
        reason: `tensor ${tensor} is written by more than one Einsum (${names.join(", ")}); each tensor must have one writer, so give this output another name`
      }
    }
  }
  // Kahn's algorithm over "B reads what A writes" edges; what is left over lies on a cycle.
  const waiting = new Map(prepared.map((e) => [e, 0]))
  const next = new Map<PreparedEinsum, Array<PreparedEinsum>>(prepared.map((e) => [e, []]))
  for (const [tensor, written] of writers) {
    for (const writer of written) {
      for (const reader of readers.get(tensor) ?? []) {
        next.get(writer)!.push(reader)
        waiting.set(reader, waiting.get(reader)! + 1)
      }
    }
  }
  const ready = prepared.filter((e) => waiting.get(e) === 0)
  for (let i = 0; i < ready.length; i++) {
    for (const reader of next.get(ready[i]!)!) {
      const left = waiting.get(reader)! - 1
      waiting.set(reader, left)
      if (left === 0) ready.push(reader)
    }
  }
  if (ready.length === prepared.length) return undefined
  const stuck = prepared.filter((e) => waiting.get(e)! > 0)
  const first = stuck[0]!
  const needs = first.accesses.filter((a) => !a.output && (writers.get(a.tensor)?.length ?? 0) > 0).map((a) => a.tensor)
  return {
    path: first.path,
    reason: `the Einsums ${stuck.map((e) => e.name).join(", ")} depend on each other in a cycle (${first.name} reads ${needs.join(", ")}, which ${needs.length === 1 ? "needs" : "need"} ${first.name}'s own output), so there is no order in which to compute them`
  }
}

interface PreparedEinsum {
  readonly name: string
  readonly path: Path
  readonly accesses: ReadonlyArray<AccessAnalysis>
  readonly rankVariables: ReadonlyArray<string>
  readonly space: IterationSpace
}

/** Analyses a decoded workload; the first problem found is returned as an EvaluationError. */
export const analyzeWorkload = (workload: Workload): Result.Result<WorkloadAnalysis, EvaluationError> => {
  const root: Path = ["workload"]
  const rankSizesResult = evaluateRankSizes(workload.rank_sizes, { path: [...root, "rank_sizes"] })
  if (Result.isFailure(rankSizesResult)) return Result.fail(rankSizesResult.failure)
  const rankSizes = rankSizesResult.success
  const rankSizeOf = (rank: string): number | undefined => (Object.hasOwn(rankSizes, rank) ? rankSizes[rank] : undefined)

  // Workload iteration_space_shape, parsed once.
  const sharedShape = new Map<string, ReadonlyArray<LinearConstraint>>()
  for (const [variable, isl] of Object.entries(workload.iteration_space_shape)) {
    const parsed = parseConstraints(isl)
    if (Result.isFailure(parsed)) return error([...root, "iteration_space_shape", variable], parsed.failure)
    sharedShape.set(variable, parsed.success)
  }

  const prepared: Array<PreparedEinsum> = []
  const seenNames = new Set<string>()
  for (const einsum of workload.einsums) {
    const path: Path = [...root, "einsums", einsum.name]
    if (einsum.name === "Total") return error([...path, "name"], "the Einsum name Total is reserved")
    if (seenNames.has(einsum.name)) return error([...path, "name"], `Einsum name ${einsum.name} is used more than once`)
    seenNames.add(einsum.name)

    // Accesses
    const accesses: Array<AccessAnalysis> = []
    for (const access of einsum.tensor_accesses) {
      const accessPath: Path = [...path, "tensor_accesses", access.name]
      if (accesses.some((a) => a.tensor === access.name)) {
        return error(accessPath, `tensor ${access.name} is accessed more than once by Einsum ${einsum.name}`)
      }
      const projection = normalizeProjection(access.projection as RawProjection)
      if (Result.isFailure(projection)) return error([...accessPath, "projection"], projection.failure)
      accesses.push({
        tensor: access.name,
        projection: projection.success,
        ranks: projection.success.map((p) => p.rank),
        rankVariables: rankVariablesOf(projection.success),
        output: access.output,
        persistent: access.persistent,
        backingStorageSizeScale: access.backing_storage_size_scale,
        bitsPerValue: access.bits_per_value
      })
    }
    const outputs = accesses.filter((a) => a.output)
    if (outputs.length !== 1) {
      return error(
        [...path, "tensor_accesses"],
        `Einsum ${einsum.name} must have exactly one output (an access with output: true), found ${outputs.length}${outputs.length > 0 ? ` (${outputs.map((a) => a.tensor).join(", ")})` : ""}`
      )
    }
    if (einsum.is_copy_operation && accesses.length - 1 !== 1) {
      return error(
        [...path, "is_copy_operation"],
        `copy Einsum ${einsum.name} must have exactly one input tensor, found ${accesses.length - 1}`
      )
    }
    const rankVariables: Array<string> = []
    for (const a of accesses) for (const v of a.rankVariables) pushUnique(rankVariables, v)

    // Constraints (§3.6): Einsum strings, workload strings for its rank variables, rank sizes.
    const constraints: Array<LinearConstraint> = []
    const origin = new Map<LinearConstraint, Path>()
    const add = (list: ReadonlyArray<LinearConstraint>, where: Path) => {
      for (const c of list) {
        constraints.push(c)
        origin.set(c, where)
      }
    }
    for (const [index, isl] of einsum.iteration_space_shape.entries()) {
      const parsed = parseConstraints(isl)
      if (Result.isFailure(parsed)) return error([...path, "iteration_space_shape", String(index)], parsed.failure)
      add(parsed.success, [...path, "iteration_space_shape", String(index)])
    }
    for (const v of rankVariables) {
      const shared = sharedShape.get(v)
      if (shared !== undefined) add(shared, [...root, "iteration_space_shape", v])
    }
    for (const a of accesses) {
      for (const p of a.projection) {
        const size = Object.hasOwn(einsum.rank_sizes, p.rank) ? einsum.rank_sizes[p.rank] : rankSizeOf(p.rank)
        if (size === undefined) continue
        add(rankSizeConstraints(p.affine, size, `0 <= ${p.expression} < ${size}`), [...path, "tensor_accesses", a.tensor, "projection", p.rank])
      }
    }
    const space = buildIterationSpace(rankVariables, constraints)
    if (Result.isFailure(space)) {
      const failure = space.failure
      const where = failure._tag === "Unbounded" ? path : origin.get(failure.constraint) ?? path
      return error(where, boundsFailureMessage(einsum.name, failure))
    }
    prepared.push({ name: einsum.name, path, accesses, rankVariables, space: space.success })
  }

  // Cross-Einsum checks: rank-variable bounds, tensor ranks, persistence.
  const globalBounds = new Map<string, { readonly bound: number; readonly einsum: string }>()
  const tensorFirst = new Map<string, { readonly einsum: string; readonly access: AccessAnalysis }>()
  for (const e of prepared) {
    for (const r of e.space.ranges) {
      const bound = r.max - r.min + 1
      const previous = globalBounds.get(r.variable)
      if (previous === undefined) globalBounds.set(r.variable, { bound, einsum: e.name })
      else if (previous.bound !== bound) {
        return error(
          e.path,
          `rank variable ${r.variable} has bound ${bound} in Einsum ${e.name} but ${previous.bound} in Einsum ${previous.einsum}; a rank variable must have the same bound in every Einsum`
        )
      }
    }
    for (const a of e.accesses) {
      const first = tensorFirst.get(a.tensor)
      if (first === undefined) {
        tensorFirst.set(a.tensor, { einsum: e.name, access: a })
        continue
      }
      const mine = [...a.ranks].sort()
      const theirs = [...first.access.ranks].sort()
      if (mine.join(",") !== theirs.join(",")) {
        return error(
          [...e.path, "tensor_accesses", a.tensor, "projection"],
          `tensor ${a.tensor} has ranks [${a.ranks.join(", ")}] in Einsum ${e.name} but [${first.access.ranks.join(", ")}] in Einsum ${first.einsum}; a tensor must have the same ranks everywhere`
        )
      }
      if (a.persistent !== first.access.persistent) {
        return error(
          [...e.path, "tensor_accesses", a.tensor, "persistent"],
          `tensor ${a.tensor} has persistent: ${a.persistent} in Einsum ${e.name} but ${first.access.persistent} in Einsum ${first.einsum}`
        )
      }
    }
  }

  // Tensors: readers, writers, shapes (from the writers' spaces, else the readers'), sizes.
  const tensorNames = [...tensorFirst.keys()]
  const writers = new Map<string, Array<PreparedEinsum>>(tensorNames.map((t) => [t, []]))
  const readers = new Map<string, Array<PreparedEinsum>>(tensorNames.map((t) => [t, []]))
  for (const e of prepared) for (const a of e.accesses) (a.output ? writers : readers).get(a.tensor)?.push(e)
  const dataflow = checkDataflow(prepared, writers, readers)
  if (dataflow !== undefined) return error(dataflow.path, dataflow.reason)

  const tensors: Array<TensorAnalysis> = tensorNames.map((name) => {
    const first = tensorFirst.get(name)
    const ranks = first?.access.ranks ?? []
    const written = writers.get(name) ?? []
    const read = readers.get(name) ?? []
    const sources = written.length > 0 ? written : read
    const shape = ranks.map((rank): TensorRankShape => {
      let min = -Infinity
      let max = Infinity
      for (const e of sources) {
        const projection = e.accesses.find((a) => a.tensor === name)?.projection.find((p) => p.rank === rank)
        if (projection === undefined) continue
        const image = imageRange(e.space, projection.affine)
        min = Math.max(min, image.min)
        max = Math.min(max, image.max)
      }
      return { rank, min, max, extent: Math.max(0, max - min + 1) }
    })
    return {
      name,
      ranks,
      shape,
      size: shape.reduce((n, s) => n * s.extent, 1),
      writtenBy: written.map((e) => e.name),
      readBy: read.map((e) => e.name),
      persistent: first?.access.persistent ?? false
    }
  })

  // Einsum facts and the final per-Einsum records.
  const workloadRankVariables = [...globalBounds.keys()]
  const usedBy = (t: string): number => new Set([...(writers.get(t) ?? []), ...(readers.get(t) ?? [])]).size
  const isIntermediate = (t: string): boolean => (writers.get(t)?.length ?? 0) > 0 && (readers.get(t)?.length ?? 0) > 0

  const einsums: Array<EinsumAnalysis> = prepared.map((e, index) => {
    const raw = workload.einsums[index]
    const inputAccesses = e.accesses.filter((a) => !a.output)
    const outputAccess = e.accesses.find((a) => a.output)
    const ordered = outputAccess === undefined ? inputAccesses : [...inputAccesses, outputAccess]
    const tensorFacts: ReadonlyArray<TensorFacts> = ordered.map((a) => ({
      name: a.tensor,
      rankVariables: a.rankVariables,
      bitsPerValue: a.bitsPerValue
    }))
    const names = ordered.map((a) => a.tensor)
    const facts: EinsumFacts = {
      name: e.name,
      tensors: tensorFacts,
      inputs: inputAccesses.map((a) => a.tensor),
      outputs: outputAccess === undefined ? [] : [outputAccess.tensor],
      intermediates: names.filter(isIntermediate),
      shared: names.filter((t) => usedBy(t) > 1),
      persistent: e.accesses.filter((a) => a.persistent).map((a) => a.tensor),
      rankVariables: e.rankVariables,
      workloadTensors: tensorNames,
      workloadRankVariables
    }
    const rankVariables = e.space.ranges.map((r) => ({ ...r, bound: r.max - r.min + 1 }))
    return {
      name: e.name,
      accesses: e.accesses,
      inputs: facts.inputs,
      output: outputAccess?.tensor ?? "",
      rankVariables,
      bounds: new Map(rankVariables.map((r) => [r.variable, r.bound])),
      iterationSpace: e.space,
      opCount: pointCount(e.space),
      isCopyOperation: raw?.is_copy_operation ?? false,
      nInstances: (raw?.n_instances ?? 1) * workload.n_instances,
      renames: raw?.renames ?? [],
      facts
    }
  })

  return Result.succeed({
    einsums,
    einsumsByName: new Map(einsums.map((e) => [e.name, e])),
    tensors,
    tensorsByName: new Map(tensors.map((t) => [t.name, t])),
    rankSizes,
    rankVariableBounds: new Map([...globalBounds].map(([v, b]) => [v, b.bound])),
    nInstances: workload.n_instances
  })
}
