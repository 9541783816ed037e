/**
 * The runtime our compiled templates run against: nunjucks' own runtime with the pieces that
 * differ from Python Jinja2 replaced. It is handed to each compiled template (see
 * jinja-compiler.ts), so nunjucks itself stays unpatched.
 *
 * - Undefined names are Jinja's `StrictUndefined`: any use other than `is defined` or
 *   `| default` fails (nunjucks would print "" or silently treat them as false).
 * - `True`, `False`, `None` are the Python literals.
 * - Printing follows Python `str()` (pystr.ts).
 * - Truthiness, `==`, `<`, `in`, `%`, `and`, `or` follow Python.
 * - Dicts have `.items()`, `.keys()`, `.values()`, `.get()`; lists `.append()`, `.index()`,
 *   `.count()`; strings a few common methods. Looking them up doesn't touch the data objects.
 */
import { internals, type Frame, type RenderContext } from "./nunjucks-internals.ts"
import { isPlainObject, pyRepr, pyStr } from "./pystr.ts"

/** A Jinja-level mistake inside a template: undefined name, failed assert, type error. */
export class JinjaError extends Error {
  override readonly name = "JinjaError"
}

/** The value of a missing name or attribute; using it throws the Jinja error message. */
export class Undefined {
  readonly message: string
  constructor(message: string) {
    this.message = message
  }
  fail(): never {
    throw new JinjaError(this.message)
  }
  [Symbol.toPrimitive](): never {
    return this.fail()
  }
  toString(): never {
    return this.fail()
  }
  valueOf(): never {
    return this.fail()
  }
}

/** Throws if `u` is undefined; returns it otherwise. */
export const defined = <A>(u: A): A => (u instanceof Undefined ? u.fail() : u)

/** An error thrown inside a compiled template, with the (1-based) template position. */
export class RenderFailure extends Error {
  readonly lineno: number
  readonly colno: number
  override readonly cause: unknown
  constructor(cause: unknown, lineno: number, colno: number) {
    super(cause instanceof Error ? cause.message : String(cause))
    this.cause = cause
    this.lineno = lineno
    this.colno = colno
  }
  /** nunjucks calls this to prefix the template path; we report the path ourselves. */
  Update(): this {
    return this
  }
}

const { SafeString } = internals.runtime

const typeName = (u: unknown): string => {
  if (u === null || u === undefined) return "NoneType"
  if (typeof u === "boolean") return "bool"
  if (typeof u === "number") return Number.isInteger(u) ? "int" : "float"
  if (typeof u === "string" || u instanceof SafeString) return "str"
  if (Array.isArray(u)) return "list"
  if (isPlainObject(u)) return "dict"
  return typeof u
}

export const truthy = (u: unknown): boolean => {
  defined(u)
  if (u === null || u === undefined) return false
  if (typeof u === "boolean") return u
  if (typeof u === "number") return u !== 0
  if (typeof u === "string" || u instanceof SafeString) return String(u).length > 0
  if (Array.isArray(u)) return u.length > 0
  if (isPlainObject(u)) return Object.keys(u).length > 0
  return true
}

const isNumeric = (u: unknown): u is number | boolean => typeof u === "number" || typeof u === "boolean"

/** Python `==`: by value for lists and dicts, and `True == 1`. */
export const pyEquals = (a: unknown, b: unknown): boolean => {
  defined(a)
  defined(b)
  if (isNumeric(a) && isNumeric(b)) return Number(a) === Number(b)
  if (a instanceof SafeString || b instanceof SafeString) return String(a) === String(b)
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]))
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a)
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k]))
  }
  return (a ?? null) === (b ?? null)
}

const ordered = (op: string, a: unknown, b: unknown): boolean => {
  const comparable = (isNumeric(a) && isNumeric(b)) || (typeof a === "string" && typeof b === "string")
  if (!comparable) {
    throw new JinjaError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`)
  }
  const [x, y] = typeof a === "string" ? [a, b as string] : [Number(a), Number(b)]
  switch (op) {
    case "<":
      return x < y
    case ">":
      return x > y
    case "<=":
      return x <= y
    default:
      return x >= y
  }
}

const compareOne = (op: string, a: unknown, b: unknown): boolean => {
  defined(a)
  defined(b)
  if (op === "==" || op === "===") return pyEquals(a, b)
  if (op === "!=" || op === "!==") return !pyEquals(a, b)
  return ordered(op, a, b)
}

/** A comparison chain `a < b < c` means `a < b and b < c`, as in Python. */
export const compare = (values: ReadonlyArray<unknown>, ops: ReadonlyArray<string>): boolean =>
  ops.every((op, i) => compareOne(op, values[i], values[i + 1]))

const toNumber = (u: unknown, op: string): number => {
  defined(u)
  if (isNumeric(u)) return Number(u)
  throw new JinjaError(`unsupported operand type for ${op}: '${typeName(u)}'`)
}

/** Python `%`: the result has the sign of the divisor. */
export const pyMod = (a: unknown, b: unknown): number => {
  const x = toNumber(a, "%")
  const y = toNumber(b, "%")
  if (y === 0) throw new JinjaError("integer division or modulo by zero")
  const r = x % y
  return r !== 0 && r < 0 !== y < 0 ? r + y : r
}

export const inOperator = (key: unknown, container: unknown): boolean => {
  defined(key)
  defined(container)
  if (Array.isArray(container)) return container.some((item) => pyEquals(item, key))
  if (typeof container === "string" || container instanceof SafeString) {
    if (typeof key !== "string") throw new JinjaError(`'in <string>' requires string as left operand, not ${typeName(key)}`)
    return String(container).includes(key)
  }
  if (isPlainObject(container)) return typeof key === "string" && Object.hasOwn(container, key)
  throw new JinjaError(`argument of type '${typeName(container)}' is not iterable`)
}

/** Python methods of a type, called with the value as `this`. */
type Methods<Self> = Record<string, (this: Self, ...args: Array<never>) => unknown>

const dictMethods: Methods<Record<string, unknown>> = {
  items() {
    return Object.entries(this)
  },
  keys() {
    return Object.keys(this)
  },
  values() {
    return Object.values(this)
  },
  get(key: string, fallback: unknown = null) {
    return Object.hasOwn(this, key) ? this[key] : fallback
  }
}

const listMethods: Methods<Array<unknown>> = {
  append(item: unknown) {
    this.push(item)
    return null
  },
  index(item: unknown) {
    const i = this.findIndex((x) => pyEquals(x, item))
    if (i < 0) throw new JinjaError(`${pyRepr(item)} is not in list`)
    return i
  },
  count(item: unknown) {
    return this.filter((x) => pyEquals(x, item)).length
  }
}

const stringMethods: Methods<string> = {
  upper() {
    return this.toUpperCase()
  },
  lower() {
    return this.toLowerCase()
  },
  strip() {
    return this.trim()
  },
  startswith(prefix: string) {
    return this.startsWith(prefix)
  },
  endswith(suffix: string) {
    return this.endsWith(suffix)
  },
  split(separator?: string) {
    return separator === undefined ? this.split(/\s+/).filter((s) => s !== "") : this.split(separator)
  },
  replace(from: string, to: string) {
    return this.replaceAll(from, to)
  },
  join(items: Array<unknown>) {
    return items.map(pyStr).join(this)
  }
}

const method = <Self>(table: Methods<Self>, self: Self, key: string): unknown =>
  Object.hasOwn(table, key) ? table[key]!.bind(self) : undefined

/** Python indexing: negative indices count from the end; out of range is undefined. */
const indexed = (seq: ArrayLike<unknown>, index: number): unknown => {
  const i = index < 0 ? seq.length + index : index
  return i >= 0 && i < seq.length ? seq[i] : new Undefined(`${typeName(seq)} index out of range`)
}

const missingAttribute = (obj: unknown, key: unknown): Undefined =>
  new Undefined(`'${typeName(obj)} object' has no attribute ${pyRepr(key)}`)

export const memberLookup = (obj: unknown, key: unknown): unknown => {
  defined(obj)
  defined(key)
  if (obj === null || obj === undefined) throw new JinjaError(`'None' has no attribute ${pyRepr(key)}`)
  if (typeof key === "number" && (Array.isArray(obj) || typeof obj === "string")) return indexed(obj, key)
  const name = String(key)
  if (isPlainObject(obj)) {
    if (Object.hasOwn(obj, name)) return bindIfFunction(obj, obj[name])
    return method(dictMethods, obj, name) ?? missingAttribute(obj, key)
  }
  if (Array.isArray(obj)) return method(listMethods, obj, name) ?? missingAttribute(obj, key)
  if (typeof obj === "string") return method(stringMethods, obj, name) ?? missingAttribute(obj, key)
  const value = (obj as Record<string, unknown>)[name]
  return value === undefined ? missingAttribute(obj, key) : bindIfFunction(obj, value)
}

const bindIfFunction = (self: unknown, value: unknown): unknown =>
  typeof value === "function" ? (value as (...args: Array<unknown>) => unknown).bind(self) : value

const pyLiterals: Record<string, unknown> = { True: true, False: false, None: null }

/** Frame (loop/set variables), then the template data, then globals, then Python literals. */
export const contextOrFrameLookup = (context: RenderContext, frame: Frame, name: string): unknown => {
  const local = frame.lookup(name)
  if (local !== undefined) return local
  if (Object.hasOwn(pyLiterals, name)) return pyLiterals[name]
  if (Object.hasOwn(context.ctx, name) && context.ctx[name] !== undefined) return context.ctx[name]
  if (Object.hasOwn(context.env.globals, name)) return context.env.globals[name]
  return new Undefined(`'${name}' is undefined`)
}

export const callWrap = (fn: unknown, name: string, context: RenderContext, args: Array<unknown>): unknown => {
  defined(fn)
  if (typeof fn !== "function") throw new JinjaError(`'${name}' is not callable`)
  return (fn as (...a: Array<unknown>) => unknown).apply(context, args)
}

/** `{{ value }}`: Python `str()`, never HTML-escaped (autoescape is off, as in AccelForge). */
export const suppressValue = (value: unknown): string => pyStr(defined(value))

/** Called around every `{{ … }}` with its position, so an undefined name is reported there. */
export const ensureDefined = (value: unknown, lineno: number, colno: number): unknown => {
  if (value instanceof Undefined) throw new RenderFailure(new JinjaError(value.message), lineno + 1, colno + 1)
  return value
}

/** Keep the innermost position; nunjucks' `lineno`/`colno` variables are 0-based. */
export const handleError = (error: unknown, lineno: number, colno: number): RenderFailure => {
  if (error instanceof RenderFailure) return error
  const at = error as { lineno?: unknown; colno?: unknown }
  return typeof at.lineno === "number"
    ? new RenderFailure(error, at.lineno, typeof at.colno === "number" ? at.colno : 1)
    : new RenderFailure(error, lineno + 1, colno + 1)
}

/** `for x in d` iterates a dict's keys, as in Python. */
export const fromIterator = (u: unknown): unknown => {
  defined(u)
  if (isPlainObject(u)) return Object.keys(u)
  if (u !== null && typeof u === "object" && !Array.isArray(u) && Symbol.iterator in u) {
    return Array.from(u as Iterable<unknown>)
  }
  return u
}

export const pyOr = (left: unknown, right: () => unknown): unknown => (truthy(left) ? left : right())
export const pyAnd = (left: unknown, right: () => unknown): unknown => (truthy(left) ? right() : left)

/** `a if c` with no else and a false `c`. */
export const noElse = (): Undefined =>
  new Undefined("the inline if-expression evaluated to false and no else section was defined")

export const pythonRuntime: Record<string, unknown> = {
  ...internals.runtime,
  suppressValue,
  ensureDefined,
  memberLookup,
  contextOrFrameLookup,
  callWrap,
  handleError,
  inOperator,
  fromIterator,
  truthy,
  compare,
  pyMod,
  pyOr,
  pyAnd,
  noElse
}
