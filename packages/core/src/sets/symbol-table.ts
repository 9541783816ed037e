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

/**
 * A read-only map computed from other data instead of holding a copy: subclasses give `get`,
 * `has`, and the entries in order; lookups never copy, and the entries are gathered into a
 * real map the first time anything iterates (once, since the map never changes). It is a
 * `Map` so that scopes treat it as one (scope.ts).
 */
abstract class DerivedMap<V> extends Map<string, V> {
  private gathered: Map<string, V> | undefined
  abstract override get(key: string): V | undefined
  abstract override has(key: string): boolean
  /** Every entry, in order, once each. */
  protected abstract gather(): Map<string, V>
  private all(): Map<string, V> {
    return (this.gathered ??= this.gather())
  }
  override get size(): number {
    return this.all().size
  }
  override entries(): MapIterator<[string, V]> {
    return this.all().entries()
  }
  override keys(): MapIterator<string> {
    return this.all().keys()
  }
  override values(): MapIterator<V> {
    return this.all().values()
  }
  override [Symbol.iterator](): MapIterator<[string, V]> {
    return this.all().entries()
  }
  override forEach(f: (value: V, key: string, map: Map<string, V>) => void): void {
    this.all().forEach((v, k) => f(v, k, this))
  }
  override set(): this {
    throw new Error("a derived map is read-only")
  }
}

/**
 * Several maps seen as one, earlier layers winning, without copying them: an Einsum's table
 * layers renames over thousands of variables over its own symbols, once per rename and per
 * Einsum, so copying would make resolution quadratic. Iteration gives each key once, in
 * precedence order.
 */
export class LayeredMap<V> extends DerivedMap<V> {
  private readonly layers: ReadonlyArray<ReadonlyMap<string, V>>
  constructor(layers: ReadonlyArray<ReadonlyMap<string, V>>) {
    super()
    this.layers = layers
  }
  override get(key: string): V | undefined {
    for (const layer of this.layers) if (layer.has(key)) return layer.get(key)
    return undefined
  }
  override has(key: string): boolean {
    return this.layers.some((layer) => layer.has(key))
  }
  protected override gather(): Map<string, V> {
    const out = new Map<string, V>()
    for (const layer of this.layers) for (const [k, v] of layer) if (!out.has(k)) out.set(k, v)
    return out
  }
}

/** One value for each of a set of names, without a copy of the names. */
export class ConstantMap<V> extends DerivedMap<V> {
  private readonly names: ReadonlySet<string>
  private readonly value: V
  constructor(names: ReadonlySet<string>, value: V) {
    super()
    this.names = names
    this.value = value
  }
  override get(key: string): V | undefined {
    return this.names.has(key) ? this.value : undefined
  }
  override has(key: string): boolean {
    return this.names.has(key)
  }
  protected override gather(): Map<string, V> {
    const out = new Map<string, V>()
    for (const k of this.names) out.set(k, this.value)
    return out
  }
}

/** The table as an expression scope. */
export const symbolScope = (table: SymbolTable): Scope => (name) => table.symbols.get(name)

/** A table with more symbols, which win over the existing ones (e.g. `Other`, `Above`, holder names). */
export const withSymbols = (table: SymbolTable, extra: Iterable<readonly [string, unknown]>): SymbolTable => ({
  ...table,
  symbols: new LayeredMap([new Map<string, unknown>(extra), table.symbols])
})

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
