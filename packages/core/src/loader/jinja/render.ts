/**
 * The Jinja interpreter: walks the syntax tree of parser.ts with Python semantics (truth,
 * `==`, `%`, `//`, `and`/`or` returning an operand, comparison chains, StrictUndefined).
 * It only ever handles template values (values.ts); attribute and item access go through
 * our own tables, and only `Callable`s can be called. Every loop iteration, printed
 * character and built list counts against the load's budget (limits.ts), so no template can
 * run unbounded. Every failure is a `TemplateError` at the innermost expression or statement.
 */
import { LimitError, type LoadBudget } from "../limits.ts"
import type { Args, At, Expr, Stmt, Target } from "./ast.ts"
import { filterNamed, methodOf, testNamed } from "./builtins.ts"
import { TemplateError } from "./errors.ts"
import {
  type CallArgs,
  Callable,
  contains,
  defined,
  Dict,
  dictKey,
  equals,
  fail,
  iterate,
  ordered,
  str,
  truthy,
  typeName,
  Undefined,
  type Value
} from "./values.ts"

/** What a template can see besides its variables. */
export interface Environment {
  readonly globals: ReadonlyMap<string, Value>
  readonly budget: LoadBudget
  /** Collects the variable names templates look up. */
  readonly namesRead: Set<string>
  /** `{% include name %}`: the rendered text of another template, given these variables. */
  readonly includeTemplate: (name: string, variables: ReadonlyMap<string, Value>, ignoreMissing: boolean) => string
}

/** Variables: the template's top-level scope (its data and top-level `set`s), or a loop's. */
export class Scope {
  readonly vars = new Map<string, Value>()
  readonly parent: Scope | undefined
  constructor(parent?: Scope, vars?: Iterable<readonly [string, Value]>) {
    this.parent = parent
    if (vars !== undefined) for (const [k, v] of vars) this.vars.set(k, v)
  }

  lookup(name: string): Value | undefined {
    for (let s: Scope | undefined = this; s !== undefined; s = s.parent) {
      if (s.vars.has(name)) return s.vars.get(name)
    }
    return undefined
  }

  /** Every visible variable, inner scopes winning. */
  visible(): Map<string, Value> {
    const out = this.parent?.visible() ?? new Map<string, Value>()
    for (const [k, v] of this.vars) out.set(k, v)
    return out
  }
}

/** Put the position of `at` on an error that has none yet. */
const locate = (e: unknown, at: At): unknown => {
  if (e instanceof TemplateError) {
    if (e.line === 0) {
      e.line = at.line
      e.column = at.column
    }
    return e
  }
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new TemplateError("values or expressions nested too deeply to render", at.line, at.column)
  }
  return new TemplateError(e instanceof Error ? e.message : String(e), at.line, at.column, e)
}

const NO_ARGS: CallArgs = { positional: [], keywords: new Map() }

class Renderer {
  private readonly env: Environment
  private readonly out: Array<string> = []

  constructor(env: Environment) {
    this.env = env
  }

  render(body: ReadonlyArray<Stmt>, scope: Scope): string {
    this.block(body, scope)
    return this.out.join("")
  }

  private emit(text: string): void {
    this.env.budget.emit(text.length)
    this.out.push(text)
  }

  private block(body: ReadonlyArray<Stmt>, scope: Scope): void {
    for (const stmt of body) {
      try {
        this.statement(stmt, scope)
      } catch (e) {
        throw locate(e, stmt)
      }
    }
  }

  private statement(s: Stmt, scope: Scope): void {
    this.env.budget.tick()
    switch (s.kind) {
      case "text":
        return this.emit(s.text)
      case "output":
        return this.emit(str(this.expr(s.expr, scope)))
      case "set":
        return this.assign(s.target, this.expr(s.value, scope), scope)
      case "setblock": {
        const inner = new Renderer(this.env)
        return this.assign(s.target, inner.render(s.body, scope), scope)
      }
      case "if": {
        for (const [test, body] of s.branches) {
          if (truthy(this.expr(test, scope))) return this.block(body, scope)
        }
        return this.block(s.otherwise, scope)
      }
      case "for":
        return this.forLoop(s, scope)
      case "assert": {
        if (truthy(this.expr(s.test, scope))) return
        throw new TemplateError(s.message === null ? "assertion failed" : str(this.expr(s.message, scope)))
      }
      case "include": {
        const name = this.expr(s.template, scope)
        if (typeof name !== "string") fail(`include needs a file name, got ${typeName(name)}`)
        const vars = s.withContext ? scope.visible() : new Map<string, Value>()
        return this.emit(this.env.includeTemplate(name as string, vars, s.ignoreMissing))
      }
    }
  }

  private assign(target: Target, value: Value, scope: Scope): void {
    if (target.length === 1) {
      scope.vars.set(target[0]!, value)
      return
    }
    const items = iterate(value)
    if (items.length !== target.length) fail(`cannot unpack ${items.length} values into ${target.length} names`)
    target.forEach((name, i) => scope.vars.set(name, items[i]!))
  }

  private forLoop(s: Extract<Stmt, { kind: "for" }>, outer: Scope): void {
    let items = iterate(this.expr(s.iterable, outer))
    const scope = new Scope(outer)
    if (s.filter !== null) {
      items = items.filter((item) => {
        this.env.budget.iterate()
        this.assign(s.target, item, scope)
        return truthy(this.expr(s.filter!, scope))
      })
    }
    if (items.length === 0) return this.block(s.otherwise, outer)
    items.forEach((item, i) => {
      this.env.budget.iterate()
      scope.vars.set("loop", loopInfo(items, i))
      this.assign(s.target, item, scope)
      this.block(s.body, scope)
    })
  }

  expr(e: Expr, scope: Scope): Value {
    this.env.budget.tick()
    try {
      return this.evaluate(e, scope)
    } catch (error) {
      throw locate(error, e)
    }
  }

  private evaluate(e: Expr, scope: Scope): Value {
    switch (e.kind) {
      case "const":
        return e.value
      case "name": {
        this.env.namesRead.add(e.name)
        const local = scope.lookup(e.name)
        if (local !== undefined) return local
        return this.env.globals.get(e.name) ?? new Undefined(`'${e.name}' is undefined`)
      }
      case "list": {
        this.env.budget.items(e.items.length, "a list")
        return e.items.map((x) => this.expr(x, scope))
      }
      case "dict":
        return new Dict(e.entries.map(([k, v]) => [dictKey(this.expr(k, scope)), this.expr(v, scope)] as const))
      case "getattr":
        return this.attribute(this.expr(e.target, scope), e.name)
      case "getitem":
        return this.item(this.expr(e.target, scope), this.expr(e.key, scope))
      case "slice":
        return this.slice(e, scope)
      case "call":
        return this.call(this.expr(e.callee, scope), this.args(e.args, scope))
      case "filter": {
        const filter = filterNamed(e.name)
        if (filter === undefined) return fail(`no filter named '${e.name}'`)
        return filter(this.expr(e.target, scope), this.args(e.args, scope), this.env.budget)
      }
      case "test": {
        const test = testNamed(e.name)
        if (test === undefined) return fail(`no test named '${e.name}'`)
        const args = this.args(e.args, scope)
        return test(this.expr(e.target, scope), args.positional) !== e.negated
      }
      case "unary": {
        const v = this.expr(e.operand, scope)
        if (e.op === "not") return !truthy(v)
        const x = defined(v)
        if (typeof x !== "number" && typeof x !== "boolean") return fail(`bad operand type for unary ${e.op}: '${typeName(x)}'`)
        return e.op === "-" ? -Number(x) : Number(x)
      }
      case "binary":
        return this.binary(e.op, this.expr(e.left, scope), this.expr(e.right, scope))
      case "and": {
        const left = this.expr(e.left, scope)
        return truthy(left) ? this.expr(e.right, scope) : left
      }
      case "or": {
        const left = this.expr(e.left, scope)
        return truthy(left) ? left : this.expr(e.right, scope)
      }
      case "compare": {
        let left = this.expr(e.first, scope)
        for (const [op, rightExpr] of e.ops) {
          const right = this.expr(rightExpr, scope)
          if (!compareOne(op, left, right)) return false
          left = right
        }
        return true
      }
      case "concat": {
        const parts = e.parts.map((p) => str(this.expr(p, scope)))
        this.env.budget.characters(parts.reduce((n, p) => n + p.length, 0), "'~'")
        return parts.join("")
      }
      case "condexpr": {
        if (truthy(this.expr(e.test, scope))) return this.expr(e.then, scope)
        return e.otherwise === null
          ? new Undefined("the inline if-expression evaluated to false and no else section was defined")
          : this.expr(e.otherwise, scope)
      }
    }
  }

  private args(args: Args, scope: Scope): CallArgs {
    if (args.positional.length === 0 && args.keywords.length === 0) return NO_ARGS
    return {
      positional: args.positional.map((a) => this.expr(a, scope)),
      keywords: new Map(args.keywords.map(([k, v]) => [k, this.expr(v, scope)] as const))
    }
  }

  private call(callee: Value, args: CallArgs): Value {
    const f = defined(callee)
    if (!(f instanceof Callable)) return fail(`'${typeName(f)}' object is not callable`)
    for (const a of args.positional) defined(a)
    for (const a of args.keywords.values()) defined(a)
    return f.call(args)
  }

  /** `obj.name`: a dict's key, else a method; nothing else has attributes. */
  private attribute(obj: Value, name: string): Value {
    const d = defined(obj)
    if (d instanceof Dict && d.entries.has(name)) return d.entries.get(name)!
    return methodOf(d, name, this.env.budget) ?? missing(d, name)
  }

  /** `obj[key]`: an item, else (for a string key) an attribute, as Jinja does. */
  private item(obj: Value, key: Value): Value {
    const d = defined(obj)
    const k = defined(key)
    if (d instanceof Dict) {
      const dk = dictKey(k)
      if (d.entries.has(dk)) return d.entries.get(dk)!
    } else if ((Array.isArray(d) || typeof d === "string") && (typeof k === "number" || typeof k === "boolean")) {
      const n = Number(k)
      if (!Number.isInteger(n)) return fail(`${typeName(d)} indices must be integers, not float`)
      const i = n < 0 ? d.length + n : n
      return i >= 0 && i < d.length ? d[i]! : new Undefined(`${typeName(d)} index out of range`)
    }
    return typeof k === "string" ? this.attribute(d, k) : missing(d, k)
  }

  private slice(e: Extract<Expr, { kind: "slice" }>, scope: Scope): Value {
    const target = defined(this.expr(e.target, scope))
    const bound = (x: Expr | null): number | undefined => {
      if (x === null) return undefined
      const v = defined(this.expr(x, scope))
      if (v === null) return undefined
      if (typeof v !== "number" || !Number.isInteger(v)) return fail("slice indices must be integers or None")
      return v as number
    }
    const [start, stop, step] = [bound(e.start), bound(e.stop), bound(e.step) ?? 1]
    if (step === 0) return fail("slice step cannot be zero")
    if (!Array.isArray(target) && typeof target !== "string") return fail(`'${typeName(target)}' object is not subscriptable`)
    const items = typeof target === "string" ? [...target] : target
    const n = items.length
    const clamp = (x: number | undefined, fallback: number): number =>
      x === undefined ? fallback : Math.min(Math.max(x < 0 ? x + n : x, step > 0 ? 0 : -1), step > 0 ? n : n - 1)
    const out: Array<Value> = []
    const from = clamp(start, step > 0 ? 0 : n - 1)
    const to = clamp(stop, step > 0 ? n : -1)
    for (let i = from; step > 0 ? i < to : i > to; i += step) out.push(items[i]!)
    return typeof target === "string" ? out.join("") : out
  }

  private binary(op: string, a: Value, b: Value): Value {
    const x = defined(a)
    const y = defined(b)
    const numeric = (typeof x === "number" || typeof x === "boolean") && (typeof y === "number" || typeof y === "boolean")
    if (numeric) return arithmetic(op, Number(x), Number(y))
    const budget = this.env.budget
    if (op === "+" && typeof x === "string" && typeof y === "string") {
      budget.characters(x.length + y.length, "'+'")
      return x + y
    }
    if (op === "+" && Array.isArray(x) && Array.isArray(y)) {
      budget.items(x.length + y.length, "'+'")
      return [...x, ...y]
    }
    if (op === "*") {
      const [seq, times] = typeof y === "number" ? [x, y] : [y, x]
      if (typeof times === "number" && Number.isInteger(times)) {
        const n = Math.max(0, times)
        if (typeof seq === "string") {
          budget.characters(seq.length * n, "'*'")
          return seq.repeat(n)
        }
        if (Array.isArray(seq)) {
          budget.items(seq.length * n, "'*'")
          return Array.from({ length: n }, () => seq).flat(1)
        }
      }
    }
    return fail(`unsupported operand type(s) for ${op}: '${typeName(x)}' and '${typeName(y)}'`)
  }
}

const arithmetic = (op: string, x: number, y: number): number => {
  switch (op) {
    case "+":
      return x + y
    case "-":
      return x - y
    case "*":
      return x * y
    case "/":
      return y === 0 ? fail("division by zero") : x / y
    case "//":
      return y === 0 ? fail("integer division or modulo by zero") : Math.floor(x / y)
    case "%": {
      if (y === 0) fail("integer division or modulo by zero")
      const r = x % y
      return r !== 0 && r < 0 !== y < 0 ? r + y : r
    }
    default:
      return x ** y
  }
}

const compareOne = (op: string, a: Value, b: Value): boolean => {
  switch (op) {
    case "==":
      return equals(a, b)
    case "!=":
      return !equals(a, b)
    case "in":
      return contains(b, a)
    case "not in":
      return !contains(b, a)
    default:
      return ordered(op, a, b)
  }
}

const missing = (obj: Value, key: Value): Undefined =>
  new Undefined(`'${typeName(obj)} object' has no attribute ${typeof key === "string" ? `'${key}'` : str(key)}`)

/** Jinja's `loop` variable. */
const loopInfo = (items: ReadonlyArray<Value>, i: number): Dict =>
  new Dict([
    ["index", i + 1],
    ["index0", i],
    ["revindex", items.length - i],
    ["revindex0", items.length - i - 1],
    ["first", i === 0],
    ["last", i === items.length - 1],
    ["length", items.length],
    ["previtem", i > 0 ? items[i - 1]! : new Undefined("no previous item")],
    ["nextitem", i + 1 < items.length ? items[i + 1]! : new Undefined("no next item")]
  ])

/** Render a parsed template with its top-level scope. Throws `TemplateError`. */
export const renderTemplate = (body: ReadonlyArray<Stmt>, scope: Scope, env: Environment): string => {
  try {
    return new Renderer(env).render(body, scope)
  } catch (e) {
    if (e instanceof LimitError) throw new TemplateError(e.message)
    throw e
  }
}

/** Evaluate one expression (for tests that probe what expressions can reach). */
export const evaluateExpression = (expr: Expr, scope: Scope, env: Environment): Value => new Renderer(env).expr(expr, scope)
