/**
 * Evaluating one mapping of a whole workload: split the tree per Einsum, resolve each Einsum,
 * analyse its pmapping, check fanouts and capacities, then compose the Einsums into totals
 * (compose/: in mode none they run in sequence, so energies and latencies add and Sequential
 * and Pipeline nodes are treated alike, as AccelForge does; modes writeback and pipeline walk the
 * mapping's fused tree, docs/overlapped-latency.md).
 *
 * Pure: no Effect inside. Failures are raised as InvalidMappingError / EvaluationError deep
 * down and returned as a Result here.
 */
import { Result } from "effect"
import { EvaluationError, type LoadedSpec, locateError, positionAt, resolveEinsum } from "@effect-accelforge/core"
import { analyzeEinsum, type EinsumAnalysisResult } from "../analysis/analyze-einsum.ts"
import { costsOf } from "../costs/component-costs.ts"
import { InvalidMappingError } from "../errors.ts"
import { rewriteArrays } from "../mapping/arrays.ts"
import { buildPmapping } from "../mapping/pmapping.ts"
import { type MappingSource, mappingOfSpec } from "../mapping/source.ts"
import { splitMapping } from "../mapping/split.ts"
import { checkCapacity, spatialUsage } from "../metrics/usage.ts"
import type { EvaluationResult, OverlapBreakdown } from "../result.ts"
import type { Composition, JoinContext, SharedLoop, Totals } from "../compose/composition.ts"
import { ALL_OBJECTIVES } from "../compose/sequential.ts"
import { composition as compositionOf } from "../compose/overlapped.ts"
import { einsumMetrics, type EinsumMetrics } from "./einsum-metrics.ts"
import { deferrableWrites } from "./deferrable-writes.ts"
import { einsumTimeline } from "./overlap-timeline.ts"
import { leakEnergy } from "../metrics/energy.ts"

export type EvaluateError = InvalidMappingError | EvaluationError

const analyzeAll = (original: LoadedSpec, source: MappingSource): { loaded: LoadedSpec; analyses: Array<EinsumAnalysisResult> } => {
  const { loaded, memberOf } = rewriteArrays(original)
  const paths = splitMapping(source.mapping)
  const known = new Set(loaded.workload.tensors.map((t) => t.name))
  const analyses = paths.map((path) => {
    if (!loaded.workload.einsumsByName.has(path.einsum)) {
      throw new InvalidMappingError({
        reason: `unknown Einsum ${path.einsum}; the workload has ${loaded.workload.einsums.map((e) => e.name).join(", ") || "none"}`,
        path: [...path.computePath]
      })
    }
    const ctx = resolveEinsum(loaded, path.einsum)
    if (Result.isFailure(ctx)) throw ctx.failure
    return analyzeEinsum(buildPmapping(path, ctx.success, known), memberOf)
  })
  const mapped = new Set(paths.map((p) => p.einsum))
  const missing = loaded.workload.einsums.filter((e) => !mapped.has(e.name)).map((e) => e.name)
  if (missing.length > 0) {
    throw new InvalidMappingError({ reason: `the mapping has no !Compute for Einsum(s) ${missing.join(", ")}`, path: ["mapping"] })
  }
  for (const a of analyses) {
    spatialUsage(a)
    checkCapacity(a, analyses)
  }
  return { loaded, analyses }
}

/** The loops two consecutive Einsums' paths share (their common prefix of loops), with iteration counts. */
const loopsShared = (a: EinsumMetrics, b: EinsumMetrics): Array<SharedLoop> => {
  const x = a.analysis.pmapping
  const y = b.analysis.pmapping
  const out: Array<SharedLoop> = []
  for (const loop of x.loops) {
    const other = y.loops[loop.order]
    if (other === undefined || other.ref.node !== loop.ref.node) break
    out.push({ iterations: a.analysis.counts.n[loop.order]!, spatial: loop.spatial })
  }
  return out
}

/** Where each Einsum joins the ones before it (the first: nothing before it), as the join sees it. */
export const joinContexts = (metrics: ReadonlyArray<EinsumMetrics>): Array<JoinContext> =>
  metrics.map((m, e) => ({
    sharedLoops: e === 0 ? [] : loopsShared(metrics[e - 1]!, m),
    nextLoops: e === metrics.length - 1 ? [] : loopsShared(m, metrics[e + 1]!)
  }))

/** The Einsums' columns combined in workload order, by the composition's rules. */
const composed = (composition: Composition, metrics: ReadonlyArray<EinsumMetrics>): Totals => {
  const k = ALL_OBJECTIVES.length
  const combine = composition.combiner(ALL_OBJECTIVES)
  const contexts = joinContexts(metrics)
  const left = Array.from({ length: k }, () => new Float64Array(1))
  const right = Array.from({ length: k }, () => new Float64Array(1))
  const out = new Float64Array(k)
  metrics.forEach((m, e) => {
    const values = new Float64Array(k)
    composition.einsumValues(ALL_OBJECTIVES, m.costs, values)
    for (let c = 0; c < k; c++) (e === 0 ? left : right)[c]![0] = values[c]!
    if (e === 0) return
    combine(out, left, 0, right, 0, contexts[e]!)
    for (let c = 0; c < k; c++) left[c]![0] = out[c]!
  })
  return composition.totals(ALL_OBJECTIVES, left.map((c) => c[0]!))
}

/** Total leak power of one Einsum's evaluation of the arch. */
const leakPowerOf = (m: EinsumMetrics): number => m.costs.leakPower.reduce((s, p) => s + p, 0)

/**
 * Under an overlap mode the arch leaks for the workload's latency, not per Einsum (§5): the
 * leak power of the Einsum whose evaluation of the arch leaks most, over that latency, charged
 * to that Einsum; every other Einsum's summary keeps its dynamic energy and shows its span on
 * the critical path as its latency.
 */
const overlappedTotals = (metrics: ReadonlyArray<EinsumMetrics>, overlap: OverlapBreakdown) => {
  const leakiest = metrics.reduce((best, m, e) => (leakPowerOf(m) > leakPowerOf(metrics[best]!) ? e : best), 0)
  const charged = metrics[leakiest]!
  const leak = leakEnergy(charged.analysis.pmapping.context, charged.costs.leakPower, overlap.latency)
    .map((entry) => ({ einsum: charged.summary.einsum, ...entry }))
  const leakTotal = leak.reduce((s, entry) => s + entry.value, 0)
  const dynamic = metrics.reduce((s, m) => s + m.summary.dynamicEnergy, 0)
  const einsums = metrics.map((m, e) => {
    const leakOfEinsum = e === leakiest ? leakTotal : 0
    const span = overlap.einsums[e]!
    return { ...m.summary, leakEnergy: leakOfEinsum, energy: m.summary.dynamicEnergy + leakOfEinsum, latency: span.end - span.start }
  })
  const energyBreakdown = [...metrics.flatMap((m) => m.energy.filter((entry) => entry.action !== "leak")), ...leak]
  return { energy: dynamic + leakTotal, dynamicEnergy: dynamic, leakEnergy: leakTotal, latency: overlap.latency, einsums, energyBreakdown }
}

const combine = (loaded: LoadedSpec, analyses: ReadonlyArray<EinsumAnalysisResult>, composition: Composition): EvaluationResult => {
  const deferrable = deferrableWrites(analyses, composition.mode)
  const metrics = analyses.map((a, e) =>
    einsumMetrics(a, loaded.spec.arch.nodes, { variables: loaded.variables, archVariables: a.pmapping.context.archVariables }, deferrable[e])
  )
  const { breakdown } = einsumTimeline(metrics, composition.mode)
  const costs = analyses[0] === undefined ? undefined : costsOf(loaded, analyses[0].pmapping.context)
  const sequential = (): ReturnType<typeof overlappedTotals> => {
    const totals = composed(composition, metrics)
    return {
      energy: totals.energy!,
      dynamicEnergy: totals.dynamicEnergy!,
      leakEnergy: totals.leakEnergy!,
      latency: totals.latency!,
      einsums: metrics.map((m) => m.summary),
      energyBreakdown: metrics.flatMap((m) => m.energy)
    }
  }
  // Mode none keeps AccelForge's arithmetic exactly (latencies added in workload order); its timeline only places the Einsums.
  const totals = composition.mode === "none" ? sequential() : overlappedTotals(metrics, breakdown)
  return {
    ...totals,
    overlap: composition.mode === "none" ? { ...breakdown, latency: totals.latency } : breakdown,
    latencyBreakdown: metrics.flatMap((m) => m.latency),
    actions: metrics.flatMap((m) => m.actions),
    memoryUsage: metrics.flatMap((m) => m.memoryUsage),
    spatialUsage: metrics.flatMap((m) => m.spatialUsage),
    area: costs?.totalArea,
    leakPower: costs?.totalLeakPower
  }
}

/** Attach the file and line of the mapping node the error names. */
const locate = (error: InvalidMappingError, root: unknown): InvalidMappingError => {
  if (error.path === undefined || error.file !== undefined) return error
  const position = positionAt(root, error.path)
  if (position === undefined) return error
  return new InvalidMappingError({
    ...error,
    path: [...error.path],
    file: position.file,
    ...(position.line === undefined ? {} : { line: position.line }),
    ...(position.column === undefined ? {} : { column: position.column })
  })
}

/**
 * Evaluate a mapping: the one given, else the spec's own `mapping:`; Einsums composed by the
 * given composition, else by the spec's `mapper.overlap` mode.
 */
export const evaluateMapping = (
  loaded: LoadedSpec,
  mapping?: MappingSource,
  composition: Composition = compositionOf(loaded.spec.mapper.overlap)
): Result.Result<EvaluationResult, EvaluateError> => {
  const source = mapping ?? mappingOfSpec(loaded)
  if (source === undefined) {
    return Result.fail(new InvalidMappingError({ reason: "there is no mapping to evaluate: add a `mapping:` section to the spec or give a mapping file (--mapping FILE)" }))
  }
  try {
    const { loaded: rewritten, analyses } = analyzeAll(loaded, source)
    return Result.succeed(combine(rewritten, analyses, composition))
  } catch (e) {
    if (e instanceof InvalidMappingError) return Result.fail(locate(e, source.root))
    // A spec field that fails only once the mapping's counts are known (a `total_latency`
    // that gives nan) names its field: the document gives it its file and line.
    if (e instanceof EvaluationError) return Result.fail(locateError(loaded.document.data, e))
    throw e
  }
}
