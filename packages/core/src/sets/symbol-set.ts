/**
 * Set values of set expressions (AccelForge §4.1): an immutable set of tensor names or of rank
 * variable names, with its universe (for `~`) and the facts of its Einsum (each tensor's rank
 * variables, known bits per value). Plugs into the expression interpreter through the
 * `exprProtocol` method table, so expressions can use `| & - ^ ~`, `.rank_variables`,
 * `.tensors`, `.bits_per_value`, `len`, truthiness, `in`, iteration and `X()`.
 */
import * as Result from "effect/Result"
import { type BinaryOperator, type ExprObjectMethods, exprProtocol, NotImplemented, raise } from "../expr/index.ts"

export type SetKind = "tensor" | "rankVariable"

const sortedUnique = (items: Iterable<string>): ReadonlyArray<string> => [...new Set(items)].sort()

/** Facts shared by every set of one Einsum. */
export interface SetContext {
  /** Universe of tensor sets: every tensor of the Einsum (sorted). */
  readonly tensors: ReadonlyArray<string>
  /** Universe of rank-variable sets: every rank variable of the Einsum (sorted). */
  readonly rankVariables: ReadonlyArray<string>
  /** Each tensor's rank variables. */
  readonly rankVariablesOf: ReadonlyMap<string, ReadonlyArray<string>>
  /** Bits per value of the tensors whose value is known. */
  readonly bitsPerValue: ReadonlyMap<string, number>
}

export const makeSetContext = (options: {
  readonly tensors: Iterable<string>
  readonly rankVariables: Iterable<string>
  readonly rankVariablesOf?: ReadonlyMap<string, ReadonlyArray<string>>
  readonly bitsPerValue?: ReadonlyMap<string, number>
}): SetContext => ({
  tensors: sortedUnique(options.tensors),
  rankVariables: sortedUnique(options.rankVariables),
  rankVariablesOf: options.rankVariablesOf ?? new Map(),
  bitsPerValue: options.bitsPerValue ?? new Map()
})

/** The context of "no Einsum": empty universes. */
export const EMPTY_SET_CONTEXT: SetContext = makeSetContext({ tensors: [], rankVariables: [] })

/** What the right operand of `| & - ^` may be. */
export type SetOperand = SymbolSet | ReadonlySet<string> | ReadonlyArray<string>

const membersOf = (operand: SetOperand): ReadonlySet<string> =>
  operand instanceof SymbolSet ? operand.members : operand instanceof Set ? operand : new Set(operand as ReadonlyArray<string>)

const KIND_LABEL: Record<SetKind, string> = { tensor: "tensors", rankVariable: "rank variables" }

export class SymbolSet {
  readonly kind: SetKind
  /** Sorted, without duplicates. */
  readonly elements: ReadonlyArray<string>
  /** Sorted, without duplicates; `~` complements against it. */
  readonly universe: ReadonlyArray<string>
  readonly context: SetContext
  /** The elements, for fast membership tests. */
  readonly members: ReadonlySet<string>

  private constructor(kind: SetKind, elements: ReadonlyArray<string>, universe: ReadonlyArray<string>, context: SetContext) {
    this.kind = kind
    this.elements = elements
    this.universe = universe
    this.context = context
    this.members = new Set(elements)
  }

  /** A set of `kind` over `universe` (default: the context's universe for that kind). */
  static of(kind: SetKind, elements: Iterable<string>, context: SetContext, universe?: Iterable<string>): SymbolSet {
    return new SymbolSet(
      kind,
      sortedUnique(elements),
      universe === undefined ? (kind === "tensor" ? context.tensors : context.rankVariables) : sortedUnique(universe),
      context
    )
  }

  static tensors(elements: Iterable<string>, context: SetContext): SymbolSet {
    return SymbolSet.of("tensor", elements, context)
  }

  static rankVariables(elements: Iterable<string>, context: SetContext): SymbolSet {
    return SymbolSet.of("rankVariable", elements, context)
  }

  static empty(kind: SetKind, context: SetContext): SymbolSet {
    return SymbolSet.of(kind, [], context)
  }

  get size(): number {
    return this.elements.length
  }

  get isEmpty(): boolean {
    return this.elements.length === 0
  }

  has(name: string): boolean {
    return this.members.has(name)
  }

  private derive(elements: Iterable<string>): SymbolSet {
    return new SymbolSet(this.kind, sortedUnique(elements), this.universe, this.context)
  }

  /** `this | other`; the result keeps this set's kind and universe. */
  union(other: SetOperand): SymbolSet {
    return this.derive([...this.elements, ...membersOf(other)])
  }

  intersection(other: SetOperand): SymbolSet {
    const o = membersOf(other)
    return this.derive(this.elements.filter((e) => o.has(e)))
  }

  difference(other: SetOperand): SymbolSet {
    const o = membersOf(other)
    return this.derive(this.elements.filter((e) => !o.has(e)))
  }

  symmetricDifference(other: SetOperand): SymbolSet {
    const o = membersOf(other)
    return this.derive([...this.elements.filter((e) => !o.has(e)), ...[...o].filter((e) => !this.members.has(e))])
  }

  /** `~this`: the universe minus this set. */
  complement(): SymbolSet {
    return this.derive(this.universe.filter((e) => !this.members.has(e)))
  }

  isSubsetOf(other: SetOperand): boolean {
    const o = membersOf(other)
    return this.elements.every((e) => o.has(e))
  }

  /** Same elements (and same kind, unless one side is empty). */
  equals(other: SymbolSet): boolean {
    if (this.size !== other.size) return false
    if (this.size > 0 && this.kind !== other.kind) return false
    return this.elements.every((e) => other.members.has(e))
  }

  /**
   * `.rank_variables`: for a tensor set, the union of its tensors' rank variables, as a
   * rank-variable set over the Einsum's rank variables; a rank-variable set returns itself.
   */
  rankVariableSet(): Result.Result<SymbolSet, string> {
    if (this.kind === "rankVariable") return Result.succeed(this)
    if (this.universe.length === 0) return Result.fail("rank_variables is not available without an Einsum (the set's universe is empty)")
    const out: Array<string> = []
    for (const t of this.elements) out.push(...(this.context.rankVariablesOf.get(t) ?? []))
    return Result.succeed(SymbolSet.of("rankVariable", out, this.context))
  }

  /** `.bits_per_value`: only for exactly one tensor whose bits per value is known. */
  bitsPerValue(): Result.Result<number, string> {
    if (this.kind !== "tensor") return Result.fail(`bits_per_value needs a set of tensors, got a set of rank variables ${this.toString()}`)
    if (this.size !== 1) return Result.fail(`bits_per_value needs a set of exactly one tensor, got ${this.size}: ${this.toString()}`)
    const t = this.elements[0]!
    const bpv = this.context.bitsPerValue.get(t)
    if (bpv === undefined) return Result.fail(`the bits per value of tensor ${t} is not known here`)
    return Result.succeed(bpv)
  }

  toString(): string {
    return `{${this.elements.join(", ")}}`
  }

  [Symbol.iterator](): Iterator<string> {
    return this.elements[Symbol.iterator]()
  }

  get [exprProtocol](): ExprObjectMethods {
    return {
      typeName: "set",
      getAttribute: (name) => {
        switch (name) {
          case "rank_variables": {
            const r = this.rankVariableSet()
            return Result.isSuccess(r) ? r.success : raise(r.failure)
          }
          case "tensors":
            return this.kind === "tensor" ? this : raise(`.tensors needs a set of tensors, got a set of rank variables ${this.toString()}`)
          case "bits_per_value": {
            const r = this.bitsPerValue()
            return Result.isSuccess(r) ? r.success : raise(r.failure)
          }
          default:
            return undefined
        }
      },
      binary: (op, other, reflected) => this.operate(op, other, reflected),
      unary: (op) => (op === "~" ? this.complement() : raise(`bad operand type for unary ${op}: 'set'`)),
      compare: (op, other) => {
        const o = toOperand(other)
        if (o === undefined) return NotImplemented
        const om = membersOf(o)
        const sub = this.isSubsetOf(om)
        const sup = [...om].every((e) => this.members.has(e))
        switch (op) {
          case "<=":
            return sub
          case "<":
            return sub && om.size > this.size
          case ">=":
            return sup
          case ">":
            return sup && this.size > om.size
          default:
            return NotImplemented
        }
      },
      equals: (other) =>
        other instanceof SymbolSet ? this.equals(other) : other instanceof Set ? this.size === other.size && this.isSubsetOf(other as ReadonlySet<string>) : false,
      len: () => this.size,
      truthy: () => this.size > 0,
      contains: (item) => (typeof item === "string" ? this.has(item) : item instanceof SymbolSet ? item.size > 0 && item.isSubsetOf(this) : false),
      iterate: () => this.elements,
      call: (args, kwargs) => (args.length === 0 && kwargs.size === 0 ? this : raise(`a set takes no arguments when called (got ${args.length + kwargs.size})`)),
      repr: () => this.toString()
    }
  }

  private operate(op: BinaryOperator, other: unknown, reflected: boolean): unknown {
    if (op !== "|" && op !== "&" && op !== "-" && op !== "^") return NotImplemented
    const operand = toOperand(other)
    if (operand === undefined) return NotImplemented
    let left: SymbolSet = this
    if (operand instanceof SymbolSet && operand.kind !== this.kind && operand.size > 0) {
      if (this.size > 0) {
        return raise(`cannot combine a set of ${KIND_LABEL[this.kind]} ${this.toString()} with a set of ${KIND_LABEL[operand.kind]} ${operand.toString()}`)
      }
      // An empty set of the other kind (e.g. `Nothing` next to rank variables) adopts the kind.
      left = SymbolSet.of(operand.kind, [], operand.context, operand.universe)
    }
    if (reflected) {
      // `plain op set`: compute with the plain operand on the left, keep this set's universe.
      const plain = [...membersOf(operand)]
      const base = SymbolSet.of(left.kind, plain, left.context, left.universe)
      return base.apply(op, left)
    }
    return left.apply(op, operand)
  }

  private apply(op: "|" | "&" | "-" | "^", other: SetOperand): SymbolSet {
    switch (op) {
      case "|":
        return this.union(other)
      case "&":
        return this.intersection(other)
      case "-":
        return this.difference(other)
      case "^":
        return this.symmetricDifference(other)
    }
  }
}

/** A SymbolSet, a JS Set of strings, or a list of strings; else undefined. */
const toOperand = (u: unknown): SetOperand | undefined => {
  if (u instanceof SymbolSet) return u
  if (u instanceof Set) return [...u].every((x) => typeof x === "string") ? (u as ReadonlySet<string>) : undefined
  if (Array.isArray(u)) return u.every((x) => typeof x === "string") ? (u as ReadonlyArray<string>) : undefined
  return undefined
}

export const isSymbolSet = (u: unknown): u is SymbolSet => u instanceof SymbolSet
