/** The per-Einsum symbol table (AccelForge §4.2) and renames (§4.3). */
import * as Data from "effect/Data"
import * as Result from "effect/Result"
import { evaluateValue, expectInt, type ExpressionFailure } from "../expr/index.ts"
import type { EinsumFacts } from "../workload/einsum-facts.ts"
import { evaluateSetExpression } from "./evaluate-set.ts"
import type { RenameEntry } from "./rename-entry.ts"
import { makeSetContext, type SetContext, SymbolSet } from "./symbol-set.ts"
import { ConstantMap, LayeredMap, symbolScope, type SymbolTable } from "./symbol-table.ts"

/** A rename of one Einsum that failed; `path` is relative to the Einsum (`renames.<name>.<field>`). */
export class RenameFailure extends Data.TaggedError("RenameFailure")<{
  readonly einsum: string
  readonly rename: string
  /** `source` when the set expression fails or has the wrong size; `expected_count` when that expression fails. */
  readonly field: "source" | "expected_count"
  readonly reason: string
}> {
  get path(): ReadonlyArray<string> {
    return ["renames", this.rename, this.field]
  }
  override get message(): string {
    return `Einsum ${this.einsum}: ${this.path.join(".")}: ${this.reason}`
  }
}

/** The built-in set names of §4.2. */
export const BUILTIN_SET_NAMES = ["All", "Tensors", "Nothing", "Inputs", "Outputs", "Intermediates", "Shared", "Persistent"] as const

/**
 * The renames that apply to one Einsum: its own first (in order), then each rename of the
 * top-level `default` entry whose name the Einsum does not already define.
 */
export const mergeRenames = (
  einsumRenames: ReadonlyArray<RenameEntry>,
  defaultRenames: ReadonlyArray<RenameEntry>
): ReadonlyArray<RenameEntry> => {
  const own = new Set(einsumRenames.map((r) => r.name))
  return [...einsumRenames, ...defaultRenames.filter((r) => !own.has(r.name))]
}

/** Universes and per-tensor facts of one Einsum. */
export const einsumSetContext = (facts: EinsumFacts): SetContext => {
  const bitsPerValue = new Map<string, number>()
  for (const t of facts.tensors) if (t.bitsPerValue !== undefined) bitsPerValue.set(t.name, t.bitsPerValue)
  return makeSetContext({
    tensors: facts.tensors.map((t) => t.name),
    rankVariables: facts.rankVariables,
    rankVariablesOf: new Map(facts.tensors.map((t) => [t.name, t.rankVariables] as const)),
    bitsPerValue
  })
}

/** The names of a workload as a set, built once per workload (every Einsum's facts share the array). */
const nameSets = new WeakMap<ReadonlyArray<string>, ReadonlySet<string>>()
const nameSet = (names: ReadonlyArray<string>): ReadonlySet<string> => {
  let set = nameSets.get(names)
  if (set === undefined) nameSets.set(names, set = new Set(names))
  return set
}

/**
 * Built-ins, this Einsum's tensors and rank variables, ∅ for the rest of the workload; highest
 * precedence first. The ∅ names are not copied per Einsum (that made resolution quadratic in
 * the workload's size): they are one shared set of names mapped to this Einsum's empty set.
 */
const baseSymbols = (facts: EinsumFacts, context: SetContext): ReadonlyMap<string, SymbolSet> => {
  const own = new Set(context.tensors)
  const tensors = (names: Iterable<string>) => SymbolSet.tensors([...names].filter((n) => own.has(n)), context)
  const all = SymbolSet.tensors(context.tensors, context)
  const out = new Map<string, SymbolSet>([
    ["All", all],
    ["Tensors", all],
    ["Nothing", SymbolSet.empty("tensor", context)],
    ["Inputs", tensors(facts.inputs)],
    ["Outputs", tensors(facts.outputs)],
    ["Intermediates", tensors(facts.intermediates)],
    ["Shared", tensors(facts.shared)],
    ["Persistent", tensors(facts.persistent)]
  ])
  const add = (name: string, set: SymbolSet) => {
    if (!out.has(name)) out.set(name, set)
  }
  for (const t of context.tensors) add(t, SymbolSet.tensors([t], context))
  for (const rv of context.rankVariables) add(rv, SymbolSet.rankVariables([rv], context))
  return new LayeredMap([
    out,
    new ConstantMap(nameSet(facts.workloadTensors), SymbolSet.empty("tensor", context)),
    new ConstantMap(nameSet(facts.workloadRankVariables), SymbolSet.empty("rankVariable", context))
  ])
}

const tableOf = (facts: EinsumFacts, context: SetContext, all: SymbolSet, layers: ReadonlyArray<ReadonlyMap<string, unknown>>): SymbolTable =>
  ({ einsum: facts.name, context, all, symbols: new LayeredMap(layers) })

/**
 * The symbol table of one Einsum.
 *
 * Precedence (highest first): renames > `variables` > built-ins (`All`, `Inputs`, …) > this
 * Einsum's tensors > its rank variables > ∅ for the other tensors and rank variables of the
 * workload. Variables winning over built-ins is AccelForge's rule for the workload scope
 * (§4.2, §5.4); pass `{}` to get the Einsum symbols alone (e.g. to layer them over variables
 * for the arch scope, where the Einsum's symbols win).
 *
 * Renames are evaluated in order; each sees the earlier renames, the variables and the base
 * symbols. A source may give tensors or rank variables. `expectedCount` (a number, or an
 * expression evaluated in the same scope) must be an integer equal to the source's size; a
 * size mismatch is reported at `renames.<name>.source` (as AccelForge does), a failing
 * `expected_count` expression at `renames.<name>.expected_count`.
 */
export const buildEinsumSymbols = (
  facts: EinsumFacts,
  renames: ReadonlyArray<RenameEntry>,
  variables: Readonly<Record<string, unknown>>
): Result.Result<SymbolTable, RenameFailure> => {
  const context = einsumSetContext(facts)
  const base = baseSymbols(facts, context)
  const all = base.get("All")!
  const vars = new Map<string, unknown>()
  for (const k of Object.keys(variables)) {
    const v = variables[k]
    if (v !== undefined) vars.set(k, v)
  }
  const renamed = new Map<string, SymbolSet>()
  for (const rename of renames) {
    const table = tableOf(facts, context, all, [new Map(renamed), vars, base])
    const fail = (field: "source" | "expected_count", reason: string) =>
      Result.fail(new RenameFailure({ einsum: facts.name, rename: rename.name, field, reason }))
    const source = evaluateSetExpression(rename.source, table, "any")
    if (Result.isFailure(source)) return fail("source", source.failure.reason)
    if (rename.expectedCount !== undefined) {
      const counted: Result.Result<number, ExpressionFailure> = Result.flatMap(
        evaluateValue(rename.expectedCount, symbolScope(table)),
        expectInt
      )
      if (Result.isFailure(counted)) return fail("expected_count", counted.failure.reason)
      if (counted.success !== source.success.size) {
        return fail(
          "source",
          `expected_count is ${counted.success}, but ${JSON.stringify(rename.source)} gives ${source.success.size} element(s): ${source.success.toString()}`
        )
      }
    }
    renamed.set(rename.name, source.success)
  }
  return Result.succeed(tableOf(facts, context, all, [renamed, vars, base]))
}
