/**
 * The roofline of a mapping, from the model's records and the resolved arch.
 *
 * - ops of an Einsum: its compute actions (the `compute` entries of `actions`), divided by the
 *   Compute's `actions_scale`.
 * - bytes moved: what crosses the outermost memory's boundary, the model's per-Einsum
 *   `offChipBytes` (packages/model/src/metrics/off-chip.ts): for every tensor, the outermost
 *   memory's read and write actions turned back into values times its bits per value there, over 8.
 * - operational intensity = ops / bytes; attained performance = ops / the Einsum's latency.
 * - compute roof of a compute unit: its `compute` throughput (with n_parallel_instances) times
 *   the product of every spatial fanout on its path (all its copies busy), in ops per time unit.
 * - bandwidth roof: the outermost memory's `read` throughput times its bits per action over 8,
 *   times the copies its fanouts make, in bytes per time unit.
 *
 * Time is the arch's unit (cycles when throughputs are per cycle, seconds when per second).
 */
import { Result } from "effect"
import { type ComputePath, type LoadedSpec, type ResolvedComponent, resolveEinsum } from "@effect-accelforge/core"
import { type EvaluationResult, outermostMemoryLevel } from "@effect-accelforge/model"
import { ReportError } from "../errors.ts"

export interface RooflinePoint {
  readonly einsum: string
  readonly compute: string
  readonly ops: number
  readonly bytes: number
  /** ops / bytes (Infinity when nothing crosses the outermost memory). */
  readonly intensity: number
  /** ops / latency. */
  readonly performance: number
}

export interface ComputeRoof {
  readonly compute: string
  /** Peak ops per time unit. */
  readonly peak: number
}

export interface Roofline {
  readonly outerMemory: string
  /** Bytes per time unit across the outermost memory's boundary; undefined when its read has no finite throughput. */
  readonly bandwidth: number | undefined
  readonly roofs: ReadonlyArray<ComputeRoof>
  readonly points: ReadonlyArray<RooflinePoint>
}

const fanoutOf = (c: ResolvedComponent): number => c.spatial.reduce((p, s) => p * s.fanout, 1)

/** Copies of the node at `index`: the fanouts of it and every node above it. */
const copiesAt = (path: ComputePath, index: number): number => path.nodes.slice(0, index + 1).reduce((p, c) => p * fanoutOf(c), 1)

const computeRoof = (path: ComputePath): number => {
  const unit = path.nodes[path.nodes.length - 1]!
  const throughput = unit.actions.find((a) => a.name === "compute")?.throughput ?? Infinity
  return (throughput * copiesAt(path, path.nodes.length - 1)) / unit.actionsScale
}

const bandwidthOf = (path: ComputePath, outer: number): number | undefined => {
  const memory = path.nodes[outer]!
  const read = memory.actions.find((a) => a.name === "read")
  if (read?.throughput === undefined || !Number.isFinite(read.throughput)) return undefined
  return (read.throughput * read.bitsPerAction * copiesAt(path, outer)) / 8
}

const opsOf = (r: EvaluationResult, einsum: string, unit: ResolvedComponent): number =>
  r.actions.filter((a) => a.einsum === einsum && a.action === "compute" && a.component === unit.name).reduce((s, a) => s + a.value, 0) / unit.actionsScale

export const rooflineOf = (loaded: LoadedSpec, r: EvaluationResult): Result.Result<Roofline, ReportError> => {
  const points: Array<RooflinePoint> = []
  const roofs = new Map<string, number>()
  let outerMemory: string | undefined
  let bandwidth: number | undefined
  for (const e of r.einsums) {
    const ctx = resolveEinsum(loaded, e.einsum)
    if (Result.isFailure(ctx)) return Result.fail(new ReportError({ subject: "roofline", path: ["einsums", e.einsum], reason: ctx.failure.message }))
    const path = ctx.success.computePaths.find((p) => p.compute === e.compute)
    const outer = path === undefined ? -1 : outermostMemoryLevel(path.nodes)
    if (path === undefined || outer < 0) {
      return Result.fail(new ReportError({ subject: "roofline", path: ["einsums", e.einsum], reason: `no path from a memory to compute unit ${e.compute}` }))
    }
    outerMemory ??= path.nodes[outer]!.name
    bandwidth ??= bandwidthOf(path, outer)
    if (!roofs.has(e.compute)) roofs.set(e.compute, computeRoof(path))
    const unit = path.nodes[path.nodes.length - 1]!
    const ops = opsOf(r, e.einsum, unit)
    const bytes = e.offChipBytes
    points.push({ einsum: e.einsum, compute: e.compute, ops, bytes, intensity: bytes === 0 ? Infinity : ops / bytes, performance: e.latency === 0 ? Infinity : ops / e.latency })
  }
  return Result.succeed({ outerMemory: outerMemory ?? "", bandwidth, roofs: [...roofs].map(([compute, peak]) => ({ compute, peak })), points })
}
