/** The symbols a set expression (and an Einsum-scoped expression) can see. */
import type { Scope } from "../expr/index.ts"
import { EMPTY_SET_CONTEXT, type SetContext, SymbolSet } from "./symbol-set.ts"

export interface SymbolTable {
  /** The Einsum these symbols belong to (undefined: no Einsum chosen). */
  readonly einsum: string | undefined
  /** Universes and per-tensor facts of that Einsum; use it to make new sets. */
  readonly context: SetContext
  /** Every tensor of the Einsum: the real `All`, even where a variable or rename shadows the name. */
  readonly all: SymbolSet
  /** Name → value (sets, and variable values when variables were given). Insertion order = precedence order. */
  readonly symbols: ReadonlyMap<string, unknown>
}

/** The table as an expression scope. */
export const symbolScope = (table: SymbolTable): Scope => (name) => table.symbols.get(name)

/** A table with more symbols, which win over the existing ones (e.g. `Other`, `Above`, holder names). */
export const withSymbols = (table: SymbolTable, extra: Iterable<readonly [string, unknown]>): SymbolTable => {
  const symbols = new Map<string, unknown>(extra)
  for (const [k, v] of table.symbols) if (!symbols.has(k)) symbols.set(k, v)
  return { ...table, symbols }
}

/**
 * The table when no Einsum is chosen (arch evaluated without an Einsum): only `All`, `Tensors`,
 * `Nothing`, `Inputs` and `Outputs`, all empty.
 */
export const noEinsumSymbols = (): SymbolTable => {
  const empty = SymbolSet.empty("tensor", EMPTY_SET_CONTEXT)
  return {
    einsum: undefined,
    context: EMPTY_SET_CONTEXT,
    all: empty,
    symbols: new Map(["All", "Tensors", "Nothing", "Inputs", "Outputs"].map((n) => [n, empty] as const))
  }
}
