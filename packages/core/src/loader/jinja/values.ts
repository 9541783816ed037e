/**
 * The values a template works with. They are the template language's own: `null` (None),
 * booleans, numbers, strings, lists (JS arrays of values), `Dict`s, `Callable`s and
 * `Undefined`. No other JavaScript object ever becomes a template value: data coming in is
 * converted by `fromHost`, and every attribute, item or method a template can reach is
 * looked up in tables of our own (see builtins.ts), never on a JavaScript object. So a
 * template cannot name a prototype, a constructor or a function that we did not write.
 */
import { LiteralString } from "../raw.ts"
import { isPlainObject, numberStr, stringRepr } from "../pystr.ts"
import { TemplateError } from "./errors.ts"

export type Key = string | number | boolean | null

/** A Python dict: insertion-ordered, keyed by strings, numbers, booleans or None. */
export class Dict {
  readonly entries: Map<Key, Value>
  constructor(entries: Iterable<readonly [Key, Value]> = []) {
    this.entries = new Map(entries)
  }
}

export interface CallArgs {
  readonly positional: ReadonlyArray<Value>
  readonly keywords: ReadonlyMap<string, Value>
}

/** A function a template may call: our built-ins, bound methods, and callables in the data. */
export class Callable {
  readonly name: string
  readonly call: (args: CallArgs) => Value
  constructor(name: string, call: (args: CallArgs) => Value) {
    this.name = name
    this.call = call
  }
}

/** Jinja's StrictUndefined: a missing name or attribute; any use but `is defined` or `default` fails. */
export class Undefined {
  readonly message: string
  constructor(message: string) {
    this.message = message
  }
}

export type Value = null | boolean | number | string | Array<Value> | Dict | Callable | Undefined

export const fail = (message: string): never => {
  throw new TemplateError(message)
}

/** The value itself, or the undefined's error. */
export const defined = (v: Value): Exclude<Value, Undefined> => (v instanceof Undefined ? fail(v.message) : v)

export const typeName = (v: Value): string => {
  if (v === null) return "NoneType"
  if (typeof v === "boolean") return "bool"
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float"
  if (typeof v === "string") return "str"
  if (Array.isArray(v)) return "list"
  if (v instanceof Dict) return "dict"
  if (v instanceof Callable) return "function"
  return "Undefined"
}

/** Data given to a template (Jinja variables, include keywords) as template values. */
export const fromHost = (u: unknown, depth = 0): Value => {
  if (depth > 200) return fail("a template variable is nested more than 200 levels deep")
  if (u === null || u === undefined) return null
  if (typeof u === "boolean" || typeof u === "number" || typeof u === "string") return u
  if (u instanceof LiteralString) return u.value
  if (u instanceof Dict || u instanceof Callable || u instanceof Undefined) return u
  if (Array.isArray(u)) return u.map((x) => fromHost(x, depth + 1))
  if (u instanceof Map) return new Dict([...u].map(([k, v]) => [hostKey(k), fromHost(v, depth + 1)] as const))
  if (isPlainObject(u)) return new Dict(Object.entries(u).map(([k, v]) => [k, fromHost(v, depth + 1)] as const))
  if (typeof u === "function") return hostFunction(u as (...args: Array<unknown>) => unknown)
  return fail(`a template variable cannot hold a ${typeof u}`)
}

const hostKey = (k: unknown): Key =>
  typeof k === "string" || typeof k === "number" || typeof k === "boolean" || k === null ? k : String(k)

/** Template values back to plain data, for a callable that the API caller put in the data. */
export const toHost = (v: Value): unknown => {
  if (Array.isArray(v)) return v.map(toHost)
  if (v instanceof Dict) return Object.fromEntries([...v.entries].map(([k, x]) => [String(k), toHost(x)]))
  if (v instanceof Callable) return fail(`cannot pass the function '${v.name}' to a function from the data`)
  return defined(v)
}

/**
 * A function passed in the data by a program using the library (such as `ceil`): it is
 * called with plain values and its result is converted back. A spec file cannot create one.
 */
const hostFunction = (f: (...args: Array<unknown>) => unknown): Callable =>
  new Callable(f.name || "function", (args) => {
    if (args.keywords.size > 0) fail(`${f.name || "this function"}() takes no keyword arguments`)
    return fromHost(f(...args.positional.map(toHost)))
  })

export const truthy = (v: Value): boolean => {
  const d = defined(v)
  if (d === null) return false
  if (typeof d === "boolean") return d
  if (typeof d === "number") return d !== 0
  if (typeof d === "string") return d.length > 0
  if (Array.isArray(d)) return d.length > 0
  if (d instanceof Dict) return d.entries.size > 0
  return true
}

const isNumeric = (v: Value): v is number | boolean => typeof v === "number" || typeof v === "boolean"

/** Python `==`: by value for lists and dicts, and `True == 1`. */
export const equals = (a: Value, b: Value): boolean => {
  defined(a)
  defined(b)
  if (isNumeric(a) && isNumeric(b)) return Number(a) === Number(b)
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equals(x, b[i]!))
  if (a instanceof Dict && b instanceof Dict) {
    if (a.entries.size !== b.entries.size) return false
    for (const [k, v] of a.entries) {
      if (!b.entries.has(k) || !equals(v, b.entries.get(k)!)) return false
    }
    return true
  }
  return a === b
}

/** Python `<`, `>`, `<=`, `>=` on numbers and on strings. */
export const ordered = (op: string, a: Value, b: Value): boolean => {
  defined(a)
  defined(b)
  const comparable = (isNumeric(a) && isNumeric(b)) || (typeof a === "string" && typeof b === "string")
  if (!comparable) fail(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`)
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

/** Python `key in container`. */
export const contains = (container: Value, key: Value): boolean => {
  const c = defined(container)
  defined(key)
  if (Array.isArray(c)) return c.some((item) => equals(item, key))
  if (typeof c === "string") {
    if (typeof key !== "string") fail(`'in <string>' requires string as left operand, not ${typeName(key)}`)
    return c.includes(key as string)
  }
  if (c instanceof Dict) return c.entries.has(dictKey(key))
  return fail(`argument of type '${typeName(c)}' is not iterable`)
}

/** A value usable as a dict key (Python: hashable). */
export const dictKey = (v: Value): Key => {
  const d = defined(v)
  if (d === null || typeof d === "boolean" || typeof d === "number" || typeof d === "string") return d
  return fail(`unhashable type: '${typeName(d)}'`)
}

/** The items `for` walks: a list's items, a dict's keys, a string's characters. */
export const iterate = (v: Value): ReadonlyArray<Value> => {
  const d = defined(v)
  if (Array.isArray(d)) return d
  if (d instanceof Dict) return [...d.entries.keys()]
  if (typeof d === "string") return [...d]
  return fail(`'${typeName(d)}' object is not iterable`)
}

/** Python `repr()`, as a value is printed inside a list or dict. */
export const repr = (v: Value): string => (typeof v === "string" ? stringRepr(v) : str(v))

/** Python `str()`: what `{{ value }}` prints. */
export const str = (v: Value): string => {
  const d = defined(v)
  if (d === null) return "None"
  if (typeof d === "boolean") return d ? "True" : "False"
  if (typeof d === "number") return numberStr(d)
  if (typeof d === "string") return d
  if (Array.isArray(d)) return `[${d.map(repr).join(", ")}]`
  if (d instanceof Dict) return `{${[...d.entries].map(([k, x]) => `${repr(k)}: ${repr(x)}`).join(", ")}}`
  return `<function ${d.name}>`
}
