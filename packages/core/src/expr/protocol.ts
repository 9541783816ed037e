/**
 * How non-plain values take part in expressions. The interpreter knows numbers, booleans,
 * strings, None, lists/tuples and dicts (plain objects, Maps). Anything else is inert unless it
 * carries the `exprProtocol` method table, which says which operators, attributes and calls
 * it supports. This is how set values (`sets/symbol-set.ts`) plug in without the interpreter
 * knowing about Einsums, and how built-in functions are made callable.
 *
 * A JS function is never callable from an expression, and its members are never read: only
 * `ExprFunction`s (and `ExprObject`s with a `call` method) can be called.
 */
import type { BinaryOperator, CompareOperator } from "./ast.ts"

export const exprProtocol: unique symbol = Symbol.for("effect-accelforge/expr/protocol")

/** Returned by `binary`/`compare` when the operation is not supported for that operand. */
export const NotImplemented: unique symbol = Symbol.for("effect-accelforge/expr/NotImplemented")
export type NotImplemented = typeof NotImplemented

/** What the interpreter offers to built-ins and `ExprObject` methods. */
export interface Runtime {
  /** Call an expression value (an `ExprFunction` or callable `ExprObject`). */
  readonly call: (fn: unknown, args: ReadonlyArray<unknown>) => unknown
  /** Charge work against the evaluation budget (fails once the budget is spent). */
  readonly charge: (steps: number) => void
}

/**
 * The method table of an expression object. Every member is optional; a missing member means
 * "not supported" and the interpreter reports a Python-like TypeError. Members may fail with
 * `raise(reason)` from `errors.ts`.
 */
export interface ExprObjectMethods {
  /** Shown in error messages, like Python's `type(x).__name__`. */
  readonly typeName: string
  /** `x.name`; return `undefined` when there is no such attribute. */
  readonly getAttribute?: (name: string) => unknown
  /** `x op other` (reflected = false) or `other op x` (reflected = true). */
  readonly binary?: (op: BinaryOperator, other: unknown, reflected: boolean) => unknown
  /** `-x`, `+x`, `~x`. */
  readonly unary?: (op: "-" | "+" | "~") => unknown
  /** `<`, `<=`, `>`, `>=` with `this` on the left; NotImplemented if unsupported. */
  readonly compare?: (op: CompareOperator, other: unknown) => boolean | NotImplemented
  readonly equals?: (other: unknown) => boolean
  readonly len?: () => number
  readonly truthy?: () => boolean
  readonly contains?: (item: unknown) => boolean
  readonly iterate?: () => Iterable<unknown>
  readonly call?: (args: ReadonlyArray<unknown>, kwargs: ReadonlyMap<string, unknown>, runtime: Runtime) => unknown
  /** Python `repr()`. */
  readonly repr?: () => string
}

export interface ExprObject {
  readonly [exprProtocol]: ExprObjectMethods
}

export const isExprObject = (u: unknown): u is ExprObject =>
  typeof u === "object" && u !== null && exprProtocol in u

/** A function that expressions may call. */
export class ExprFunction implements ExprObject {
  readonly name: string
  readonly impl: (args: ReadonlyArray<unknown>, kwargs: ReadonlyMap<string, unknown>, runtime: Runtime) => unknown
  readonly [exprProtocol]: ExprObjectMethods
  constructor(
    name: string,
    impl: (args: ReadonlyArray<unknown>, kwargs: ReadonlyMap<string, unknown>, runtime: Runtime) => unknown
  ) {
    this.name = name
    this.impl = impl
    this[exprProtocol] = {
      typeName: "builtin_function_or_method",
      call: (args, kwargs, runtime) => this.impl(args, kwargs, runtime),
      repr: () => `<built-in function ${this.name}>`
    }
  }
}
