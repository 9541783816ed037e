/**
 * Tree-walking evaluation of a parsed expression. Names resolve through local comprehension
 * variables, then the caller's scope, then `BUILTINS`; never through `globalThis`. Only
 * `ExprObject`s with a `call` method (built-ins, set values) can be called.
 */
import type { BinaryOperator, CompareOperator, ExprNode, Target } from "./ast.ts"
import { raise } from "./errors.ts"
import { BUILTINS } from "./builtins.ts"
import * as N from "./numeric.ts"
import { exprProtocol, isExprObject, NotImplemented, type Runtime } from "./protocol.ts"
import {
  contains,
  equals,
  getAttribute,
  getItem,
  identical,
  isForbiddenAttribute,
  isNumeric,
  isTuple,
  iterate,
  makeTuple,
  order,
  readValue,
  toNumber,
  truthy,
  typeName
} from "./values.ts"

/** Looks a name up; `undefined` when the name is not bound. */
export type Scope = (name: string) => unknown

/** Evaluation steps allowed for one expression (node visits plus elements built). */
export const MAX_STEPS = 30_000_000

type Locals = ReadonlyMap<string, unknown> | undefined

class Interpreter implements Runtime {
  private readonly scope: Scope
  private steps = 0

  constructor(scope: Scope) {
    this.scope = scope
  }

  readonly charge = (n: number): void => {
    this.steps += n
    if (this.steps > MAX_STEPS) raise(`evaluation is too expensive (more than ${MAX_STEPS} steps)`)
  }

  readonly call = (fn: unknown, args: ReadonlyArray<unknown>): unknown => this.invoke(fn, args, new Map())

  private invoke(fn: unknown, args: ReadonlyArray<unknown>, kwargs: ReadonlyMap<string, unknown>): unknown {
    if (isExprObject(fn)) {
      const m = fn[exprProtocol]
      if (m.call !== undefined) return m.call(args, kwargs, this)
    }
    return raise(`'${typeName(fn)}' object is not callable`)
  }

  private lookup(id: string, locals: Locals): unknown {
    if (locals !== undefined && locals.has(id)) return locals.get(id)
    if (isForbiddenAttribute(id) || id === "globalThis") return raise(`name '${id}' is not defined`)
    const bound = this.scope(id)
    if (bound !== undefined) return readValue(bound, () => `name '${id}'`)
    if (BUILTINS.has(id)) return BUILTINS.get(id)
    return raise(`name '${id}' is not defined`)
  }

  evaluate(node: ExprNode, locals: Locals): unknown {
    this.charge(1)
    switch (node.kind) {
      case "Constant":
        return node.value
      case "Name":
        return this.lookup(node.id, locals)
      case "Unary":
        return this.unary(node.op, this.evaluate(node.operand, locals))
      case "Binary":
        return this.binary(node.op, this.evaluate(node.left, locals), this.evaluate(node.right, locals))
      case "BoolOp": {
        let value: unknown = undefined
        for (const v of node.values) {
          value = this.evaluate(v, locals)
          if (node.op === "and" ? !truthy(value) : truthy(value)) return value
        }
        return value
      }
      case "Compare": {
        let left = this.evaluate(node.left, locals)
        for (let i = 0; i < node.ops.length; i++) {
          const right = this.evaluate(node.comparators[i]!, locals)
          if (!this.compare(node.ops[i]!, left, right)) return false
          left = right
        }
        return true
      }
      case "IfExp":
        return truthy(this.evaluate(node.test, locals)) ? this.evaluate(node.body, locals) : this.evaluate(node.orelse, locals)
      case "Call": {
        const fn = this.evaluate(node.func, locals)
        const args = node.args.map((a) => this.evaluate(a, locals))
        const kwargs = new Map<string, unknown>()
        for (const k of node.keywords) kwargs.set(k.name, this.evaluate(k.value, locals))
        return this.invoke(fn, args, kwargs)
      }
      case "Attribute":
        return getAttribute(this.evaluate(node.value, locals), node.attr)
      case "Subscript":
        return getItem(this.evaluate(node.value, locals), this.evaluate(node.index, locals))
      case "List":
        return node.elts.map((e) => this.evaluate(e, locals))
      case "Tuple":
        return makeTuple(node.elts.map((e) => this.evaluate(e, locals)))
      case "Comprehension": {
        const out: Array<unknown> = []
        this.comprehend(node, 0, locals, out)
        return out
      }
    }
  }

  private comprehend(node: Extract<ExprNode, { kind: "Comprehension" }>, level: number, locals: Locals, out: Array<unknown>): void {
    const clause = node.generators[level]
    if (clause === undefined) {
      out.push(this.evaluate(node.elt, locals))
      if (out.length > N.MAX_SEQUENCE_LENGTH) raise(`comprehension result is too long (the limit is ${N.MAX_SEQUENCE_LENGTH})`)
      return
    }
    for (const item of iterate(this.evaluate(clause.iter, locals))) {
      this.charge(1)
      const inner = new Map(locals ?? [])
      this.bind(clause.target, item, inner)
      if (clause.ifs.every((c) => truthy(this.evaluate(c, inner)))) this.comprehend(node, level + 1, inner, out)
    }
  }

  private bind(target: Target, value: unknown, into: Map<string, unknown>): void {
    if (target.kind === "Name") {
      into.set(target.id, value)
      return
    }
    const values = [...iterate(value)]
    if (values.length !== target.elts.length) {
      raise(`ValueError: ${values.length < target.elts.length ? "not enough" : "too many"} values to unpack (expected ${target.elts.length}, got ${values.length})`)
    }
    target.elts.forEach((t, i) => this.bind(t, values[i], into))
  }

  private unary(op: "-" | "+" | "~" | "not", v: unknown): unknown {
    if (op === "not") return !truthy(v)
    if (isExprObject(v)) {
      const m = v[exprProtocol]
      if (m.unary !== undefined) return m.unary(op)
    } else if (isNumeric(v)) {
      const x = toNumber(v)
      return op === "-" ? -x : op === "+" ? x : N.invert(x)
    }
    return raise(`bad operand type for unary ${op}: '${typeName(v)}'`)
  }

  private repeat(seq: string | ReadonlyArray<unknown>, count: unknown, tuple: boolean): unknown {
    if (!isNumeric(count) || !Number.isInteger(toNumber(count))) {
      return raise(`can't multiply sequence by non-int of type '${typeName(count)}'`)
    }
    const n = Math.max(0, toNumber(count))
    const length = seq.length * n
    if (length > N.MAX_SEQUENCE_LENGTH) return raise(`sequence repetition is too long (${length} elements; the limit is ${N.MAX_SEQUENCE_LENGTH})`)
    this.charge(length)
    if (typeof seq === "string") return seq.repeat(n)
    const out: Array<unknown> = []
    for (let i = 0; i < n; i++) out.push(...seq)
    return tuple ? makeTuple(out) : out
  }

  binary(op: BinaryOperator, a: unknown, b: unknown): unknown {
    if (isExprObject(a)) {
      const m = a[exprProtocol]
      if (m.binary !== undefined) {
        const r = m.binary(op, b, false)
        if (r !== NotImplemented) return r
      }
    }
    if (isExprObject(b)) {
      const m = b[exprProtocol]
      if (m.binary !== undefined) {
        const r = m.binary(op, a, true)
        if (r !== NotImplemented) return r
      }
    }
    if (isNumeric(a) && isNumeric(b)) {
      const x = toNumber(a)
      const y = toNumber(b)
      switch (op) {
        case "+":
          return x + y
        case "-":
          return x - y
        case "*":
          return x * y
        case "/":
          return N.trueDivide(x, y)
        case "//":
          return N.floorDivide(x, y)
        case "%":
          return N.modulo(x, y)
        case "**":
          return N.power(x, y)
        case "|":
        case "&":
        case "^": {
          const r = N.bitwise(op, x, y)
          return typeof a === "boolean" && typeof b === "boolean" ? r !== 0 : r
        }
        case "<<":
        case ">>":
          return N.shift(op, x, y)
      }
    }
    if (op === "+") {
      if (typeof a === "string" && typeof b === "string") {
        if (a.length + b.length > N.MAX_SEQUENCE_LENGTH) return raise("string concatenation is too long")
        return a + b
      }
      if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) {
        if (a.length + b.length > N.MAX_SEQUENCE_LENGTH) return raise("list concatenation is too long")
        this.charge(a.length + b.length)
        return isTuple(a) ? makeTuple([...a, ...b]) : [...a, ...b]
      }
    }
    if (op === "*") {
      if (typeof a === "string" || Array.isArray(a)) {
        if (isNumeric(b)) return this.repeat(a as string | ReadonlyArray<unknown>, b, isTuple(a))
      }
      if (typeof b === "string" || Array.isArray(b)) {
        if (isNumeric(a)) return this.repeat(b as string | ReadonlyArray<unknown>, a, isTuple(b))
      }
    }
    if (op === "%" && typeof a === "string") return raise("string formatting with '%' is not supported")
    return raise(`unsupported operand types for ${op}: '${typeName(a)}' and '${typeName(b)}'`)
  }

  private compare(op: CompareOperator, a: unknown, b: unknown): boolean {
    switch (op) {
      case "==":
        return equals(a, b)
      case "!=":
        return !equals(a, b)
      case "is":
        return identical(a, b)
      case "is not":
        return !identical(a, b)
      case "in":
        return contains(b, a)
      case "not in":
        return !contains(b, a)
      default:
        return order(op, a, b)
    }
  }
}

/** Evaluate a parsed expression. Throws `Raise` on failure; see `evaluateExpression` for the safe API. */
export const interpret = (node: ExprNode, scope: Scope): unknown => new Interpreter(scope).evaluate(node, undefined)
