/**
 * Everything a template can call or look up besides its data: the filters, the tests, the
 * global functions `range` and `dict`, and the methods of dicts, lists and strings. These
 * tables are the whole of what a template can reach; each is a null-prototype record read
 * with `Object.hasOwn`, so a name like `constructor` or `__proto__` finds nothing.
 */
import type { LoadBudget } from "../limits.ts"
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
  repr,
  str,
  truthy,
  typeName,
  Undefined,
  type Value
} from "./values.ts"

const table = <A>(entries: Record<string, A>): Readonly<Record<string, A>> =>
  Object.freeze(Object.assign(Object.create(null) as Record<string, A>, entries))

export const lookup = <A>(t: Readonly<Record<string, A>>, name: string): A | undefined => (Object.hasOwn(t, name) ? t[name] : undefined)

/** Bind Python-style arguments by name and position; extra ones are an error. */
export const bind = (
  fn: string,
  args: CallArgs,
  params: ReadonlyArray<readonly [name: string, fallback?: Value]>,
  extraKeywords = false
): { readonly values: Record<string, Value>; readonly rest: Map<string, Value> } => {
  if (args.positional.length > params.length) {
    fail(`${fn}() takes at most ${params.length} positional argument${params.length === 1 ? "" : "s"} (${args.positional.length} given)`)
  }
  const rest = new Map(args.keywords)
  const values: Record<string, Value> = Object.create(null)
  params.forEach(([name, ...fallback], i) => {
    if (i < args.positional.length) {
      if (rest.has(name)) fail(`${fn}() got multiple values for argument '${name}'`)
      values[name] = args.positional[i]!
    } else if (rest.has(name)) values[name] = rest.get(name)!
    else if (fallback.length > 0) values[name] = fallback[0]!
    else fail(`${fn}() missing required argument '${name}'`)
    rest.delete(name)
  })
  if (!extraKeywords && rest.size > 0) fail(`${fn}() got an unexpected keyword argument '${[...rest.keys()][0]}'`)
  return { values, rest }
}

const integer = (v: Value, what: string): number => {
  const d = defined(v)
  if (typeof d === "boolean") return Number(d)
  if (typeof d !== "number" || !Number.isInteger(d)) fail(`${what} must be an integer, not ${typeName(d)}`)
  return d as number
}

const number = (v: Value, what: string): number => {
  const d = defined(v)
  if (typeof d === "boolean") return Number(d)
  if (typeof d !== "number") fail(`${what} must be a number, not ${typeName(d)}`)
  return d as number
}

const text = (v: Value, what: string): string => {
  const d = defined(v)
  if (typeof d !== "string") fail(`${what} must be a string, not ${typeName(d)}`)
  return d as string
}

const list = (v: Value, what: string): Array<Value> => {
  const d = defined(v)
  if (!Array.isArray(d)) fail(`${what} must be a list, not ${typeName(d)}`)
  return d as Array<Value>
}

/** Python `range(stop)` / `range(start, stop[, step])`, bounded by the iteration limit. */
export const range = (budget: LoadBudget) => (args: CallArgs): Value => {
  if (args.keywords.size > 0) fail("range() takes no keyword arguments")
  const n = args.positional.map((a) => integer(a, "range() argument"))
  if (n.length === 0 || n.length > 3) fail("range() takes 1 to 3 integer arguments")
  const [start, stop, step] = n.length === 1 ? [0, n[0]!, 1] : [n[0]!, n[1]!, n[2] ?? 1]
  if (step === 0) fail("range() arg 3 must not be zero")
  const count = Math.max(0, Math.ceil((stop - start) / step))
  budget.items(count, `range(${n.join(", ")})`)
  const out: Array<Value> = []
  for (let i = 0; i < count; i++) out.push(start + i * step)
  return out
}

/** Python `dict(mapping_or_pairs, **kw)`. */
export const dict = (args: CallArgs): Value => {
  if (args.positional.length > 1) fail(`dict expected at most 1 argument, got ${args.positional.length}`)
  const source = args.positional[0]
  const out = new Dict()
  if (source !== undefined) {
    const d = defined(source)
    if (d instanceof Dict) for (const [k, v] of d.entries) out.entries.set(k, v)
    else {
      for (const pair of iterate(d)) {
        const kv = list(pair, "each item of dict()'s argument")
        if (kv.length !== 2) fail("each item of dict()'s argument must be a (key, value) pair")
        out.entries.set(dictKey(kv[0]!), kv[1]!)
      }
    }
  }
  for (const [k, v] of args.keywords) out.entries.set(k, v)
  return out
}

const extreme = (name: "min" | "max") => (value: Value): Value => {
  const items = iterate(value)
  if (items.length === 0) return new Undefined(`${name}() of an empty sequence`)
  return items.reduce((best, x) => (ordered(name === "min" ? "<" : ">", x, best) ? x : best))
}

/** Items without repeats, first occurrence kept; linear for numbers, strings, booleans and None. */
const uniqueItems = (v: Value): Value => {
  const seen = new Set<unknown>()
  const others: Array<Value> = []
  return iterate(v).filter((x) => {
    if (x === null || typeof x !== "object") {
      // Python: True == 1, so numbers and booleans share keys.
      const key = typeof x === "boolean" ? Number(x) : x
      if (seen.has(key)) return false
      seen.add(key)
      return true
    }
    if (others.some((y) => equals(x, y))) return false
    others.push(x)
    return true
  })
}

const sortKey = (a: Value, b: Value): number => (equals(a, b) ? 0 : ordered("<", a, b) ? -1 : 1)

type Filter = (value: Value, args: CallArgs, budget: LoadBudget) => Value

const noArgs = (name: string, f: (value: Value) => Value): Filter => (value, args) => {
  bind(name, args, [])
  return f(value)
}

export const FILTERS = table<Filter>({
  default: (value, args) => {
    const { values } = bind("default", args, [["default_value", ""], ["boolean", false]])
    if (value instanceof Undefined) return values["default_value"]!
    return truthy(values["boolean"]!) && !truthy(value) ? values["default_value"]! : value
  },
  min: noArgs("min", extreme("min")),
  max: noArgs("max", extreme("max")),
  length: noArgs("length", (v) => {
    const d = defined(v)
    return d instanceof Dict ? d.entries.size : iterate(d).length
  }),
  abs: noArgs("abs", (v) => Math.abs(number(v, "abs()'s value"))),
  int: (value, args) => {
    const { values } = bind("int", args, [["default", 0]])
    const d = defined(value)
    const n = typeof d === "string" ? Number(d.trim()) : typeof d === "number" || typeof d === "boolean" ? Number(d) : NaN
    return Number.isFinite(n) ? Math.trunc(n) : values["default"]!
  },
  float: (value, args) => {
    const { values } = bind("float", args, [["default", 0]])
    const d = defined(value)
    const n = typeof d === "string" ? Number(d.trim()) : typeof d === "number" || typeof d === "boolean" ? Number(d) : NaN
    return Number.isNaN(n) ? values["default"]! : n
  },
  round: (value, args) => {
    const { values } = bind("round", args, [["precision", 0], ["method", "common"]])
    const scale = 10 ** integer(values["precision"]!, "round()'s precision")
    const x = number(value, "round()'s value") * scale
    const method = text(values["method"]!, "round()'s method")
    const r = method === "ceil" ? Math.ceil(x) : method === "floor" ? Math.floor(x) : Math.sign(x) * Math.round(Math.abs(x))
    return r / scale
  },
  string: noArgs("string", (v) => str(v)),
  lower: noArgs("lower", (v) => text(v, "lower()'s value").toLowerCase()),
  upper: noArgs("upper", (v) => text(v, "upper()'s value").toUpperCase()),
  trim: noArgs("trim", (v) => text(v, "trim()'s value").trim()),
  first: noArgs("first", (v) => iterate(v)[0] ?? new Undefined("first() of an empty sequence")),
  last: noArgs("last", (v) => iterate(v).at(-1) ?? new Undefined("last() of an empty sequence")),
  list: noArgs("list", (v) => [...iterate(v)]),
  reverse: noArgs("reverse", (v) => (typeof v === "string" ? [...v].reverse().join("") : [...iterate(v)].reverse())),
  unique: noArgs("unique", uniqueItems),
  sort: (value, args) => {
    const { values } = bind("sort", args, [["reverse", false]])
    const sorted = [...iterate(value)].sort(sortKey)
    return truthy(values["reverse"]!) ? sorted.reverse() : sorted
  },
  sum: (value, args) => {
    const { values } = bind("sum", args, [["start", 0]])
    return iterate(value).reduce<number>((s, x) => s + number(x, "each item of sum()"), number(values["start"]!, "sum()'s start"))
  },
  join: (value, args, budget) => {
    const { values } = bind("join", args, [["d", ""]])
    const parts = iterate(value).map(str)
    const separator = text(values["d"]!, "join()'s separator")
    budget.characters(parts.reduce((n, p) => n + p.length + separator.length, 0), "join()")
    return parts.join(separator)
  },
  replace: (value, args, budget) => {
    const { values } = bind("replace", args, [["old"], ["new"]])
    return replaceAll(text(value, "replace()'s value"), text(values["old"]!, "replace()'s old"), text(values["new"]!, "replace()'s new"), budget)
  },
  items: noArgs("items", (v) => {
    const d = defined(v)
    if (!(d instanceof Dict)) fail(`items() needs a dict, not ${typeName(d)}`)
    return [...(d as Dict).entries].map(([k, x]) => [k, x])
  }),
  dictsort: noArgs("dictsort", (v) => {
    const d = defined(v)
    if (!(d instanceof Dict)) fail(`dictsort() needs a dict, not ${typeName(d)}`)
    return [...(d as Dict).entries].sort(([a], [b]) => sortKey(a, b)).map(([k, x]) => [k, x])
  })
})

/** `d` and `count` are Jinja's other names for `default` and `length`. */
export const filterNamed = (name: string): Filter | undefined =>
  lookup(FILTERS, name === "d" ? "default" : name === "count" ? "length" : name)

const replaceAll = (s: string, from: string, to: string, budget: LoadBudget): string => {
  if (from !== "") budget.characters(s.length + (to.length - from.length) * (s.split(from).length - 1), "replace()")
  else budget.characters(s.length + to.length * (s.length + 1), "replace()")
  return s.replaceAll(from, to)
}

type Test = (value: Value, args: ReadonlyArray<Value>) => boolean

const isNumber = (v: Value): boolean => typeof v === "number"

export const TESTS = table<Test>({
  defined: (v) => !(v instanceof Undefined),
  undefined: (v) => v instanceof Undefined,
  none: (v) => defined(v) === null,
  boolean: (v) => typeof defined(v) === "boolean",
  true: (v) => defined(v) === true,
  false: (v) => defined(v) === false,
  number: (v) => isNumber(defined(v)),
  integer: (v) => Number.isInteger(defined(v)),
  float: (v) => isNumber(defined(v)) && !Number.isInteger(v),
  string: (v) => typeof defined(v) === "string",
  mapping: (v) => defined(v) instanceof Dict,
  sequence: (v) => {
    const d = defined(v)
    return Array.isArray(d) || typeof d === "string" || d instanceof Dict
  },
  iterable: (v) => {
    const d = defined(v)
    return Array.isArray(d) || typeof d === "string" || d instanceof Dict
  },
  callable: (v) => defined(v) instanceof Callable,
  even: (v) => integer(v, "the value of 'even'") % 2 === 0,
  odd: (v) => Math.abs(integer(v, "the value of 'odd'") % 2) === 1,
  divisibleby: (v, [n]) => integer(v, "the value of 'divisibleby'") % integer(n ?? null, "divisibleby's argument") === 0,
  eq: (v, [o]) => equals(v, o ?? null),
  ne: (v, [o]) => !equals(v, o ?? null),
  lt: (v, [o]) => ordered("<", v, o ?? null),
  le: (v, [o]) => ordered("<=", v, o ?? null),
  gt: (v, [o]) => ordered(">", v, o ?? null),
  ge: (v, [o]) => ordered(">=", v, o ?? null),
  in: (v, [o]) => contains(o ?? null, v)
})

export const testNamed = (name: string): Test | undefined =>
  lookup(TESTS, name === "==" || name === "equalto" ? "eq" : name === "!=" ? "ne" : name === "lessthan" ? "lt" : name === "greaterthan" ? "gt" : name)

type Method<Self> = (self: Self, args: CallArgs, budget: LoadBudget) => Value

const DICT_METHODS = table<Method<Dict>>({
  items: (d, args) => (bind("items", args, []), [...d.entries].map(([k, v]) => [k, v])),
  keys: (d, args) => (bind("keys", args, []), [...d.entries.keys()]),
  values: (d, args) => (bind("values", args, []), [...d.entries.values()]),
  get: (d, args) => {
    const { values } = bind("get", args, [["key"], ["default", null]])
    const key = dictKey(values["key"]!)
    return d.entries.has(key) ? d.entries.get(key)! : values["default"]!
  }
})

const LIST_METHODS = table<Method<Array<Value>>>({
  append: (l, args, budget) => {
    const { values } = bind("append", args, [["item"]])
    budget.items(l.length + 1, "append()")
    l.push(values["item"]!)
    return null
  },
  index: (l, args) => {
    const { values } = bind("index", args, [["item"]])
    const i = l.findIndex((x) => equals(x, values["item"]!))
    return i < 0 ? fail(`${repr(values["item"]!)} is not in list`) : i
  },
  count: (l, args) => {
    const { values } = bind("count", args, [["item"]])
    return l.filter((x) => equals(x, values["item"]!)).length
  }
})

const STRING_METHODS = table<Method<string>>({
  upper: (s, args) => (bind("upper", args, []), s.toUpperCase()),
  lower: (s, args) => (bind("lower", args, []), s.toLowerCase()),
  strip: (s, args) => (bind("strip", args, []), s.trim()),
  lstrip: (s, args) => (bind("lstrip", args, []), s.trimStart()),
  rstrip: (s, args) => (bind("rstrip", args, []), s.trimEnd()),
  startswith: (s, args) => s.startsWith(text(bind("startswith", args, [["prefix"]]).values["prefix"]!, "startswith()'s prefix")),
  endswith: (s, args) => s.endsWith(text(bind("endswith", args, [["suffix"]]).values["suffix"]!, "endswith()'s suffix")),
  split: (s, args) => {
    const sep = bind("split", args, [["sep", null]]).values["sep"]!
    return sep === null ? s.split(/\s+/).filter((x) => x !== "") : s.split(text(sep, "split()'s separator"))
  },
  replace: (s, args, budget) => {
    const { values } = bind("replace", args, [["old"], ["new"]])
    return replaceAll(s, text(values["old"]!, "replace()'s old"), text(values["new"]!, "replace()'s new"), budget)
  },
  join: (s, args, budget) => {
    const parts = iterate(bind("join", args, [["items"]]).values["items"]!).map(str)
    budget.characters(parts.reduce((n, p) => n + p.length + s.length, 0), "join()")
    return parts.join(s)
  }
})

/** `obj.name` as a method of a dict, list or string, bound to `obj`; undefined otherwise. */
export const methodOf = (obj: Value, name: string, budget: LoadBudget): Callable | undefined => {
  const bound = <Self>(t: Readonly<Record<string, Method<Self>>>, self: Self): Callable | undefined => {
    const m = lookup(t, name)
    return m === undefined ? undefined : new Callable(name, (args) => m(self, args, budget))
  }
  if (obj instanceof Dict) return bound(DICT_METHODS, obj)
  if (Array.isArray(obj)) return bound(LIST_METHODS, obj)
  if (typeof obj === "string") return bound(STRING_METHODS, obj)
  return undefined
}
