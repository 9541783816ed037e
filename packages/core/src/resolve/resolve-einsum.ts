/**
 * Per-Einsum resolution (AccelForge §4.2-4.5, §5.4): build the Einsum's symbol table from its
 * renames, fix bits per value and persistence, then evaluate the raw arch, leaf by leaf, in
 * the Einsum's scope. Done from the raw arch for every Einsum, as AccelForge does.
 */
import * as Result from "effect/Result"
import { EvaluationError } from "../errors.ts"
import { locateError } from "../loader/locate.ts"
import { buildEinsumSymbols, evaluateSetExpression, evaluateSetKeyedDict, mergeRenames, noEinsumSymbols, SymbolSet, withSymbols } from "../sets/index.ts"
import type { SymbolTable } from "../sets/index.ts"
import type { LoadedSpec } from "../spec/loaded-spec.ts"
import { defaultRenames } from "../spec/renames.ts"
import type { EinsumAnalysis } from "../workload/analyze.ts"
import type { EinsumFacts } from "../workload/einsum-facts.ts"
import { ExpressionFailure } from "../expr/index.ts"
import { evaluateComponent } from "./evaluate-component.ts"
import type { EinsumContext } from "./einsum-context.ts"
import { catchEvaluation, fail, type Path } from "./fail.ts"
import { allLeaves, computeUnits, duplicateLeafNames, flattenFor } from "./flatten.ts"
import type { ComputePath, ResolvedComponent } from "./resolved.ts"
import { makeScope } from "./scope.ts"
import { outOfRange, POSITIVE } from "../spec/number-range.ts"
import { evaluateRecord } from "./variables.ts"

const einsumPath = (einsum: EinsumAnalysis): Path => ["workload", "einsums", einsum.name]

/**
 * The Einsum's symbol table. In workload scope spec variables win over the built-in names;
 * in arch scope the Einsum's symbols win, so the arch table is built without variables and
 * the variables are layered underneath it.
 */
const symbolsFor = (loaded: LoadedSpec, einsum: EinsumAnalysis, facts: EinsumFacts, scope: "workload" | "arch"): SymbolTable => {
  const renames = mergeRenames(einsum.renames, defaultRenames(loaded.spec.renames))
  const table = buildEinsumSymbols(facts, renames, scope === "workload" ? loaded.variables : {})
  if (Result.isFailure(table)) return fail([...einsumPath(einsum), ...table.failure.path], table.failure.reason)
  return table.success
}

/** Bits per value per tensor: the access's own value, else the workload's set-keyed dict. */
const bitsPerValueFor = (loaded: LoadedSpec, einsum: EinsumAnalysis, symbols: SymbolTable): Map<string, number> => {
  const entries = loaded.spec.workload.bits_per_value.map((e) => [e.expression, e.value] as const)
  const fromDict = evaluateSetKeyedDict(entries, symbols, (raw) =>
    typeof raw === "number" && outOfRange(raw, POSITIVE) === undefined
      ? Result.succeed(raw)
      : Result.fail(new ExpressionFailure({ expression: String(raw), reason: typeof raw === "number" ? `bits per value: ${outOfRange(raw, POSITIVE)}` : `bits per value must be a number, got ${JSON.stringify(raw)}` })))
  if (Result.isFailure(fromDict)) return fail(["workload", "bits_per_value"], fromDict.failure.reason)
  const out = new Map<string, number>()
  for (const access of einsum.accesses) {
    const bits = access.bitsPerValue ?? fromDict.success.get(access.tensor)
    if (bits === undefined) {
      fail([...einsumPath(einsum), "tensor_accesses", access.tensor, "bits_per_value"], `tensor ${access.tensor} does not have a bits per value; give it in workload.bits_per_value (e.g. {All: 8}) or on the access`)
    }
    out.set(access.tensor, bits!)
  }
  return out
}

/** `symbols` is asked only when the workload gives `persistent_tensors` (building the table is cold work on every search's clock). */
const persistentFor = (loaded: LoadedSpec, einsum: EinsumAnalysis, symbols: () => SymbolTable): Set<string> => {
  const out = new Set(einsum.accesses.filter((a) => a.persistent).map((a) => a.tensor))
  const expression = loaded.spec.workload.persistent_tensors
  if (expression !== undefined && expression !== null) {
    const set = evaluateSetExpression(String(expression), symbols(), "tensor")
    if (Result.isFailure(set)) fail(["workload", "persistent_tensors"], set.failure.reason)
    else for (const t of set.success) out.add(t)
  }
  return out
}

const withBits = (facts: EinsumFacts, bits: ReadonlyMap<string, number>): EinsumFacts => ({
  ...facts,
  tensors: facts.tensors.map((t) => ({ ...t, bitsPerValue: bits.get(t.name) }))
})

/** What an expression sees when it names an evaluated arch leaf (`GlobalBuffer.size`). */
const expressionView = (c: ResolvedComponent): Record<string, unknown> => ({
  name: c.name,
  ...(c.size === undefined ? {} : { size: c.size }),
  ...(c.area === undefined ? {} : { area: c.area }),
  ...(c.leakPower === undefined ? {} : { leak_power: c.leakPower }),
  n_parallel_instances: c.nParallelInstances,
  ...(c.bitsPerAction === undefined ? {} : { bits_per_action: c.bitsPerAction }),
  spatial: c.spatial.map((s) => ({ name: s.name, fanout: s.fanout })),
  actions: c.actions.map((a) => ({ name: a.name, energy: a.energy ?? null, throughput: a.throughput ?? null })),
  ...c.extra
})

const resolveArch = (
  loaded: LoadedSpec,
  symbols: SymbolTable
): { components: Array<ResolvedComponent>; paths: Array<ComputePath>; archVariables: Record<string, unknown> } => {
  const arch = loaded.spec.arch
  const duplicates = duplicateLeafNames(arch.nodes)
  if (duplicates.length > 0) fail(["arch", "nodes"], `arch node names must be unique; repeated: ${duplicates.join(", ")}`)
  if (containsArray(arch.nodes)) fail(["arch", "nodes"], "!Array nodes are not supported yet (AccelForge marks them experimental)")
  const base = [loaded.variables, symbols.symbols] as const
  const archVariables = evaluateRecord(arch.variables, base, ["arch", "variables"])
  const leaves = new Map<string, unknown>()
  const archExtras = evaluateRecord(arch.extra_attributes_for_all_component_models, [...base, archVariables], ["arch", "extra_attributes_for_all_component_models"])
  const scope = makeScope([...base, archVariables, { variables: { ...loaded.variables, ...archVariables } }, leaves, archExtras])
  const components: Array<ResolvedComponent> = []
  for (const leaf of allLeaves(arch.nodes)) {
    const component = evaluateComponent(leaf, scope, archExtras, symbols, ["arch", "nodes", leaf.name])
    components.push(component)
    leaves.set(leaf.name, expressionView(component))
  }
  checkDeferredSets(components, symbols)
  const byName = new Map(components.map((c) => [c.name, c]))
  const paths = computeUnits(arch.nodes).map((compute): ComputePath => {
    const names = flattenFor(arch.nodes, compute.name) ?? []
    const resolved = byName.get(compute.name)!
    return { compute: compute.name, enabled: resolved.enabled === true, nodes: names.map((l) => byName.get(l.name)!) }
  })
  return { components, paths, archVariables }
}

/**
 * `tensors` fields that name memories are evaluated by the mapper, level by level. Check now
 * that they *can* be: with every holder above bound to a set (and `Above`), the expression must
 * give a set of tensors. This catches unknown tensor names and syntax errors at load time.
 */
const checkDeferredSets = (components: ReadonlyArray<ResolvedComponent>, symbols: SymbolTable): void => {
  const above: Array<string> = []
  for (const c of components) {
    if (c.tensors !== undefined) {
      const empty = SymbolSet.empty("tensor", symbols.context)
      const table = withSymbols(symbols, [["Above", empty], ...above.map((name) => [name, empty] as const)])
      const fields = { keep: c.tensors.keep, may_keep: c.tensors.mayKeep, back: c.tensors.back, no_refetch_from_above: c.tensors.noRefetchFromAbove, no_resend_to_below: c.tensors.noResendToBelow }
      for (const [field, value] of Object.entries(fields)) {
        if (value._tag !== "Deferred") continue
        const r = evaluateSetExpression(value.expression, table, "tensor")
        if (Result.isFailure(r)) {
          const names = above.length > 0 ? `; memories above ${c.name} (${above.join(", ")}) and Above may be named here` : ""
          fail(["arch", "nodes", c.name, "tensors", field], `${r.failure.reason}${names}`)
        }
      }
      above.push(c.name)
    }
  }
}

/** An Einsum can only be mapped onto an arch with a compute unit enabled for it. */
const requireComputeUnit = (einsum: string, paths: ReadonlyArray<ComputePath>): void => {
  if (paths.some((p) => p.enabled)) return
  if (paths.length === 0) fail(["arch", "nodes"], `the arch has no compute unit (a !Compute node), so Einsum ${einsum} cannot run on it`)
  fail(["arch", "nodes", paths[0]!.compute, "enabled"], `no compute unit is enabled for Einsum ${einsum} (${paths.map((p) => p.compute).join(", ")} evaluate enabled to false)`)
}

const containsArray = (nodes: LoadedSpec["spec"]["arch"]["nodes"]): boolean =>
  nodes.some((n) => n.$tag === "Array" || ((n.$tag === "Hierarchical" || n.$tag === "Fork") && containsArray(n.nodes)))

const locate = (loaded: LoadedSpec, error: EvaluationError): EvaluationError => locateError(loaded.document.data, error)

/**
 * Each Einsum is resolved once per loaded spec: the search resolves every Einsum, and then the
 * model evaluates the chosen mapping and each front point (resolving the Einsums again, per
 * mapping). A loaded spec and its contexts are never mutated, so the same context is the same
 * answer; sharing it also lets what is computed once per context (the analysis' geometry, the
 * components' latency closures) serve the evaluations too.
 */
const resolved = new WeakMap<LoadedSpec, Map<string, Result.Result<EinsumContext, EvaluationError>>>()

/** Resolve one Einsum by name. */
export const resolveEinsum = (loaded: LoadedSpec, einsumName: string): Result.Result<EinsumContext, EvaluationError> => {
  let known = resolved.get(loaded)
  if (known === undefined) {
    known = new Map()
    resolved.set(loaded, known)
  }
  let result = known.get(einsumName)
  if (result === undefined) {
    result = resolveUncached(loaded, einsumName)
    known.set(einsumName, result)
  }
  return result
}

const resolveUncached = (loaded: LoadedSpec, einsumName: string): Result.Result<EinsumContext, EvaluationError> => {
  const einsum = loaded.workload.einsumsByName.get(einsumName)
  if (einsum === undefined) {
    return Result.fail(new EvaluationError({
      path: ["workload", "einsums"],
      reason: `no Einsum named '${einsumName}'; the workload has ${loaded.workload.einsums.map((e) => e.name).join(", ") || "none"}`
    }))
  }
  const result = catchEvaluation((): EinsumContext => {
    const firstSymbols = symbolsFor(loaded, einsum, einsum.facts, "workload")
    const bitsPerValue = bitsPerValueFor(loaded, einsum, firstSymbols)
    const facts = withBits(einsum.facts, bitsPerValue)
    const persistentTensors = persistentFor(loaded, einsum, () => symbolsFor(loaded, einsum, facts, "workload"))
    const symbols = symbolsFor(loaded, einsum, facts, "arch")
    const { components, paths, archVariables } = resolveArch(loaded, symbols)
    requireComputeUnit(einsum.name, paths)
    return {
      einsum, symbols, bitsPerValue, persistentTensors, components, computePaths: paths,
      variables: loaded.variables, archVariables
    }
  })
  return result.ok ? Result.succeed(result.value) : Result.fail(locate(loaded, result.error))
}

/** Resolve every Einsum, in workload order. */
export const resolveAll = (loaded: LoadedSpec): Result.Result<ReadonlyArray<EinsumContext>, EvaluationError> => {
  const out: Array<EinsumContext> = []
  for (const einsum of loaded.workload.einsums) {
    const r = resolveEinsum(loaded, einsum.name)
    if (Result.isFailure(r)) return Result.fail(r.failure)
    out.push(r.success)
  }
  return Result.succeed(out)
}

/**
 * The arch evaluated with no Einsum chosen (AccelForge: only All, Tensors, Nothing, Inputs
 * and Outputs exist, all empty). Used to check an arch-only spec.
 */
export const resolveArchAlone = (
  loaded: LoadedSpec
): Result.Result<{ readonly components: ReadonlyArray<ResolvedComponent>; readonly computePaths: ReadonlyArray<ComputePath> }, EvaluationError> => {
  const result = catchEvaluation(() => resolveArch(loaded, noEinsumSymbols()))
  return result.ok
    ? Result.succeed({ components: result.value.components, computePaths: result.value.paths })
    : Result.fail(locate(loaded, result.error))
}
