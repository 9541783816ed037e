/**
 * Storage choices (FFM §2.1): walking the flattened arch outermost first, each memory keeps
 * `keep ∪ back` and any subset of `may_keep`; a Toll passes through what is kept above it.
 * `tensors` expressions that name memories see what each level above chose (and `Above`).
 */
import { Result } from "effect"
import {
  type ComputePath,
  type EinsumContext,
  EvaluationError,
  evaluateSetExpression,
  type SetField,
  SymbolSet,
  withSymbols
} from "@effect-accelforge/core"

/** What one holder level keeps in one storage choice. */
export interface LevelChoice {
  readonly level: number
  readonly component: string
  readonly toll: boolean
  /** Sorted. */
  readonly tensors: ReadonlyArray<string>
  readonly mustKeep: ReadonlySet<string>
}

interface HolderLevel {
  readonly level: number
  readonly component: string
  readonly toll: boolean
  readonly tensors: NonNullable<ComputePath["nodes"][number]["tensors"]>
}

const holderLevels = (arch: ComputePath): Array<HolderLevel> =>
  arch.nodes.flatMap((node, level) =>
    (node.kind === "Memory" || node.kind === "Toll") && node.enabled !== false && node.tensors !== undefined
      ? [{ level, component: node.name, toll: node.kind === "Toll", tensors: node.tensors }]
      : []
  )

const setOf = (
  field: SetField,
  ctx: EinsumContext,
  above: ReadonlySet<string>,
  chosen: ReadonlyMap<string, ReadonlyArray<string>>,
  path: ReadonlyArray<string>
): ReadonlySet<string> => {
  if (field._tag === "Resolved") return field.set.members
  const context = ctx.symbols.context
  const table = withSymbols(ctx.symbols, [
    ["Above", SymbolSet.tensors(above, context)],
    ...[...chosen].map(([name, tensors]) => [name, SymbolSet.tensors(tensors, context)] as const)
  ])
  const result = evaluateSetExpression(field.expression, table, "tensor")
  if (Result.isFailure(result)) throw new EvaluationError({ path: [...path], reason: result.failure.reason })
  return result.success.members
}

/** Subsets of `items` by increasing size, each size in lexicographic order (AccelForge's powerset order). */
export function* powerset<T>(items: ReadonlyArray<T>): Generator<ReadonlyArray<T>> {
  const pick = function*(start: number, size: number, acc: Array<T>): Generator<ReadonlyArray<T>> {
    if (acc.length === size) {
      yield [...acc]
      return
    }
    for (let i = start; i < items.length; i++) {
      acc.push(items[i]!)
      yield* pick(i + 1, size, acc)
      acc.pop()
    }
  }
  for (let size = 0; size <= items.length; size++) yield* pick(0, size, [])
}

/**
 * Every storage choice for one Einsum on one flattened arch, as one LevelChoice per holder
 * level (outermost first, levels that keep nothing omitted). Throws EvaluationError when a
 * deferred `tensors` expression fails.
 */
export function* storageChoices(ctx: EinsumContext, arch: ComputePath, isCopy: boolean): Generator<ReadonlyArray<LevelChoice>> {
  const levels = holderLevels(arch)
  const all = new Set(ctx.einsum.accesses.map((a) => a.tensor))
  const walk = function*(i: number, above: Set<string>, chosen: Map<string, ReadonlyArray<string>>): Generator<Array<LevelChoice>> {
    if (i === levels.length) {
      yield []
      return
    }
    const level = levels[i]!
    const path = ["arch", "nodes", level.component, "tensors"]
    const keep = setOf(level.tensors.keep, ctx, above, chosen, [...path, "keep"])
    const back = setOf(level.tensors.back, ctx, above, chosen, [...path, "back"])
    const mayKeep = setOf(level.tensors.mayKeep, ctx, above, chosen, [...path, "may_keep"])
    const inScope = (t: string) => all.has(t) && (!level.toll || above.has(t))
    const must = new Set([...keep, ...back].filter(inScope))
    // A tensor to be backed here that a level above already stores: this level has no valid choice.
    if ([...back].some((t) => all.has(t) && above.has(t))) return
    const optional = [...mayKeep].filter((t) => inScope(t) && !must.has(t) && !(isCopy && above.has(t))).sort()
    for (const subset of powerset(optional)) {
      const tensors = [...must, ...subset].sort()
      const nextAbove = new Set([...above, ...tensors])
      const nextChosen = new Map(chosen).set(level.component, tensors)
      for (const rest of walk(i + 1, nextAbove, nextChosen)) {
        yield tensors.length === 0
          ? rest
          : [{ level: level.level, component: level.component, toll: level.toll, tensors, mustKeep: must }, ...rest]
      }
    }
  }
  yield* walk(0, new Set(), new Map())
}
