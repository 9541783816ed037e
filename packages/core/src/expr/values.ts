/**
 * The value model of the interpreter: Python semantics over JS values.
 *
 * | Python      | JS                                                                 |
 * |-------------|--------------------------------------------------------------------|
 * | int, float  | number (an integral float acts as an int)                          |
 * | bool        | boolean (acts as 0/1 in arithmetic, like Python)                   |
 * | str         | string (a `LiteralString` read from a scope is read as its string)  |
 * | None        | null (and `undefined` found inside data)                           |
 * | list, tuple | arrays; tuples are arrays registered by `makeTuple`                |
 * | dict        | plain objects (own enumerable data properties) and `Map`s            |
 * | objects     | other objects: only their own enumerable data properties are read  |
 * | extensions  | `ExprObject`s (see `protocol.ts`)                                  |
 *
 * JS functions are never values of the language: reading one is an error.
 */
import { isLiteralString } from "../loader/raw.ts"
import type { CompareOperator } from "./ast.ts"
import { raise } from "./errors.ts"
import { formatNumber } from "./numeric.ts"
import { exprProtocol, isExprObject, NotImplemented } from "./protocol.ts"

const tuples = new WeakSet<ReadonlyArray<unknown>>()

/** Mark a fresh array as a Python tuple (frozen). */
export const makeTuple = (items: Array<unknown>): ReadonlyArray<unknown> => {
  tuples.add(items)
  return Object.freeze(items)
}

export const isTuple = (u: unknown): boolean => Array.isArray(u) && tuples.has(u)

/** A plain object: `{}` or `Object.create(null)`, i.e. what YAML and JSON produce. */
export const isPlainObject = (u: unknown): u is Record<string, unknown> => {
  if (typeof u !== "object" || u === null || Array.isArray(u)) return false
  const proto = Object.getPrototypeOf(u)
  return proto === Object.prototype || proto === null
}

const isDict = (u: unknown): boolean => isPlainObject(u) || u instanceof Map

const FORBIDDEN_ATTRIBUTES: ReadonlySet<string> = new Set([
  "constructor", "__proto__", "prototype", "caller", "callee", "arguments",
  "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__"
])

/** Names that attribute access never reads: JS internals and Python dunders. */
export const isForbiddenAttribute = (name: string): boolean =>
  FORBIDDEN_ATTRIBUTES.has(name) || (name.startsWith("__") && name.endsWith("__"))

/**
 * Turn a JS value read from data (scope, attribute, item, element) into a language value:
 * `LiteralString` → string, `undefined` → None, bigint → number; functions and symbols fail.
 */
export const readValue = (u: unknown, what: () => string): unknown => {
  switch (typeof u) {
    case "number":
    case "string":
    case "boolean":
      return u
    case "undefined":
      return null
    case "bigint":
      return Number(u)
    case "function":
      return raise(`${what()} is a host function, which expressions cannot use`)
    case "symbol":
      return raise(`${what()} is not a value expressions can use`)
    case "object":
      return isLiteralString(u) ? u.value : u
  }
}

export const typeName = (u: unknown): string => {
  if (u === null || u === undefined) return "NoneType"
  switch (typeof u) {
    case "number":
      return Number.isInteger(u) ? "int" : "float"
    case "boolean":
      return "bool"
    case "string":
      return "str"
    case "object":
      if (isExprObject(u)) return u[exprProtocol].typeName
      if (Array.isArray(u)) return isTuple(u) ? "tuple" : "list"
      if (isDict(u)) return "dict"
      if (isLiteralString(u)) return "str"
      return "object"
    default:
      return typeof u
  }
}

const MAX_REPR = 10_000

const quote = (s: string): string => {
  const q = s.includes("'") && !s.includes("\"") ? "\"" : "'"
  let out = q
  for (const ch of s) {
    if (ch === q || ch === "\\") out += "\\" + ch
    else if (ch === "\n") out += "\\n"
    else if (ch === "\r") out += "\\r"
    else if (ch === "\t") out += "\\t"
    else if (ch < " ") out += "\\x" + ch.charCodeAt(0).toString(16).padStart(2, "0")
    else out += ch
    if (out.length > MAX_REPR) return out + "…" + q
  }
  return out + q
}

const reprInner = (u: unknown, depth: number): string => {
  if (depth > 20) return "…"
  if (u === null || u === undefined) return "None"
  switch (typeof u) {
    case "number":
      return formatNumber(u)
    case "boolean":
      return u ? "True" : "False"
    case "string":
      return quote(u)
    case "object": {
      if (isExprObject(u)) {
        const m = u[exprProtocol]
        return m.repr !== undefined ? m.repr() : `<${m.typeName} object>`
      }
      if (isLiteralString(u)) return quote(u.value)
      if (Array.isArray(u)) {
        const parts: Array<string> = []
        let length = 0
        for (const item of u) {
          const r = reprInner(item, depth + 1)
          parts.push(r)
          length += r.length + 2
          if (length > MAX_REPR) {
            parts.push("…")
            break
          }
        }
        if (isTuple(u)) return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(", ")})`
        return `[${parts.join(", ")}]`
      }
      if (isDict(u)) {
        const entries = u instanceof Map ? [...u.entries()] : Object.entries(u)
        const parts: Array<string> = []
        let length = 0
        for (const [k, v] of entries) {
          const r = `${reprInner(k, depth + 1)}: ${typeof v === "function" ? "<function>" : reprInner(v, depth + 1)}`
          parts.push(r)
          length += r.length + 2
          if (length > MAX_REPR) {
            parts.push("…")
            break
          }
        }
        return `{${parts.join(", ")}}`
      }
      return "<object>"
    }
    default:
      return `<${typeof u}>`
  }
}

/** Python `repr()`. */
export const repr = (u: unknown): string => reprInner(u, 0)

/** Python `str()`. */
export const str = (u: unknown): string =>
  typeof u === "string" ? u : isLiteralString(u) ? u.value : repr(u)

export const len = (u: unknown): number => {
  if (typeof u === "string") return [...u].length
  if (Array.isArray(u)) return u.length
  if (u instanceof Map) return u.size
  if (isPlainObject(u)) return Object.keys(u).length
  if (isExprObject(u)) {
    const m = u[exprProtocol]
    if (m.len !== undefined) return m.len()
  }
  return raise(`object of type '${typeName(u)}' has no len()`)
}

export const truthy = (u: unknown): boolean => {
  if (u === null || u === undefined) return false
  switch (typeof u) {
    case "boolean":
      return u
    case "number":
      return u !== 0
    case "string":
      return u.length > 0
    case "object":
      if (Array.isArray(u)) return u.length > 0
      if (u instanceof Map) return u.size > 0
      if (isPlainObject(u)) return Object.keys(u).length > 0
      if (isExprObject(u)) {
        const m = u[exprProtocol]
        if (m.truthy !== undefined) return m.truthy()
        if (m.len !== undefined) return m.len() > 0
      }
      return true
    default:
      return true
  }
}

export const isNumeric = (u: unknown): u is number | boolean => typeof u === "number" || typeof u === "boolean"
export const toNumber = (u: number | boolean): number => (typeof u === "boolean" ? (u ? 1 : 0) : u)

/** Python `==`. */
export const equals = (a: unknown, b: unknown, depth = 0): boolean => {
  if (depth > 100) return raise("RecursionError: maximum recursion depth exceeded in comparison")
  if (isExprObject(a) && a[exprProtocol].equals !== undefined) return a[exprProtocol].equals!(b)
  if (isExprObject(b) && b[exprProtocol].equals !== undefined) return b[exprProtocol].equals!(a)
  if (isNumeric(a) && isNumeric(b)) return toNumber(a) === toNumber(b)
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true
  if (typeof a === "string" || typeof b === "string") return a === b
  if (Array.isArray(a) && Array.isArray(b)) {
    if (isTuple(a) !== isTuple(b) || a.length !== b.length) return false
    return a.every((x, i) => equals(x, b[i], depth + 1))
  }
  if (isDict(a) && isDict(b)) {
    const ea = a instanceof Map ? [...a.entries()] : Object.entries(a as object)
    const mb = b instanceof Map ? b : new Map(Object.entries(b as object))
    if (ea.length !== mb.size) return false
    return ea.every(([k, v]) => mb.has(k) && equals(v, mb.get(k), depth + 1))
  }
  return a === b
}

/** Python `is`. */
export const identical = (a: unknown, b: unknown): boolean =>
  ((a === null || a === undefined) && (b === null || b === undefined)) || a === b ||
  (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b))

const orderResult = (op: CompareOperator, c: number): boolean =>
  op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0

/** Python `<`, `<=`, `>`, `>=`. */
export const order = (op: "<" | "<=" | ">" | ">=", a: unknown, b: unknown, depth = 0): boolean => {
  if (depth > 100) return raise("RecursionError: maximum recursion depth exceeded in comparison")
  if (isNumeric(a) && isNumeric(b)) {
    const x = toNumber(a)
    const y = toNumber(b)
    return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y
  }
  if (typeof a === "string" && typeof b === "string") return orderResult(op, a < b ? -1 : a > b ? 1 : 0)
  if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) {
    const n = Math.min(a.length, b.length)
    for (let i = 0; i < n; i++) {
      if (!equals(a[i], b[i], depth + 1)) return order(op, a[i], b[i], depth + 1)
    }
    return orderResult(op, a.length - b.length)
  }
  if (isExprObject(a) && a[exprProtocol].compare !== undefined) {
    const r = a[exprProtocol].compare!(op, b)
    if (r !== NotImplemented) return r
  }
  if (isExprObject(b) && b[exprProtocol].compare !== undefined) {
    const mirrored = op === "<" ? ">" : op === "<=" ? ">=" : op === ">" ? "<" : "<="
    const r = b[exprProtocol].compare!(mirrored, a)
    if (r !== NotImplemented) return r
  }
  return raise(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`)
}

/** The elements of an iterable value, as language values. */
export const iterate = (u: unknown): Iterable<unknown> => {
  if (Array.isArray(u)) return u.map((x, i) => readValue(x, () => `item ${i}`))
  if (typeof u === "string") return [...u]
  if (u instanceof Map) return [...u.keys()]
  if (isPlainObject(u)) return Object.keys(u)
  if (isExprObject(u)) {
    const m = u[exprProtocol]
    if (m.iterate !== undefined) return m.iterate()
  }
  return raise(`'${typeName(u)}' object is not iterable`)
}

/** Python `item in container`. */
export const contains = (container: unknown, item: unknown): boolean => {
  if (typeof container === "string") {
    if (typeof item !== "string") return raise(`'in <string>' requires string as left operand, not ${typeName(item)}`)
    return container.includes(item)
  }
  if (Array.isArray(container)) return container.some((x) => equals(readValue(x, () => "item"), item))
  if (container instanceof Map) return container.has(item) || (typeof item === "number" && container.has(String(item)))
  if (isPlainObject(container)) {
    return (typeof item === "string" || typeof item === "number") && Object.hasOwn(container, String(item))
  }
  if (isExprObject(container)) {
    const m = container[exprProtocol]
    if (m.contains !== undefined) return m.contains(item)
    if (m.iterate !== undefined) return [...m.iterate()].some((x) => equals(x, item))
  }
  return raise(`argument of type '${typeName(container)}' is not iterable`)
}

/** Own enumerable data property, or `undefined`. Never runs getters, never reads the prototype. */
const ownData = (target: object, key: string): { value: unknown } | undefined => {
  const d = Object.getOwnPropertyDescriptor(target, key)
  if (d === undefined || !d.enumerable || !("value" in d)) return undefined
  return { value: d.value }
}

/** `value.name`. */
export const getAttribute = (value: unknown, name: string): unknown => {
  if (isForbiddenAttribute(name)) return raise(`access to attribute '${name}' is not allowed`)
  if (isExprObject(value)) {
    const m = value[exprProtocol]
    const r = m.getAttribute?.(name)
    if (r !== undefined) return r
  } else if (typeof value === "object" && value !== null && !(value instanceof Map) && !isLiteralString(value)) {
    const found = ownData(value, name)
    if (found !== undefined) return readValue(found.value, () => `attribute '${name}'`)
  }
  return raise(`'${typeName(value)}' object has no attribute '${name}'`)
}

const toIndex = (u: unknown): number | undefined => {
  if (typeof u === "boolean") return u ? 1 : 0
  if (typeof u === "number" && Number.isInteger(u)) return u
  return undefined
}

/** `value[index]`: list/tuple/str index, list item by `name`, dict key. */
export const getItem = (value: unknown, index: unknown): unknown => {
  if (Array.isArray(value) || typeof value === "string") {
    const i = toIndex(index)
    if (i !== undefined) {
      const items: ReadonlyArray<unknown> = typeof value === "string" ? [...value] : value
      const j = i < 0 ? i + items.length : i
      if (j < 0 || j >= items.length) return raise(`IndexError: ${typeName(value)} index out of range`)
      return readValue(items[j], () => `item ${i}`)
    }
    if (Array.isArray(value) && typeof index === "string") {
      for (const item of value) {
        if (typeof item === "object" && item !== null && !Array.isArray(item)) {
          const n = ownData(item, "name")
          if (n !== undefined && (n.value === index || (isLiteralString(n.value) && n.value.value === index))) {
            return readValue(item, () => `item '${index}'`)
          }
        }
      }
      return raise(`KeyError: no item named ${repr(index)} in the list`)
    }
    return raise(`${typeName(value)} indices must be integers${Array.isArray(value) ? " or names" : ""}, not ${typeName(index)}`)
  }
  if (value instanceof Map) {
    if (value.has(index)) return readValue(value.get(index), () => `item ${repr(index)}`)
    if (typeof index === "number" && value.has(String(index))) return readValue(value.get(String(index)), () => `item ${repr(index)}`)
    return raise(`KeyError: ${repr(index)}`)
  }
  if (isPlainObject(value)) {
    if (typeof index === "string" || typeof index === "number" || typeof index === "boolean") {
      const key = typeof index === "boolean" ? (index ? "True" : "False") : String(index)
      const found = ownData(value, key)
      if (found !== undefined) return readValue(found.value, () => `item ${repr(index)}`)
    }
    return raise(`KeyError: ${repr(index)}`)
  }
  return raise(`'${typeName(value)}' object is not subscriptable`)
}
