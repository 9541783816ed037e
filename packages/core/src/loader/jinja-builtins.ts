/**
 * The Jinja2 filters, tests, globals and tags that AccelForge specs use and nunjucks lacks
 * or defines differently: filters `min`, `max`, `default` (aware of our StrictUndefined);
 * tests `defined`, `undefined`, `none`; the `dict()` and Python `range()` globals; and the `{% assert cond, "msg" %}`
 * tag of AccelForge's Jinja extension. Every other filter and test is wrapped so that an
 * undefined argument fails instead of being coerced.
 */
import { type Nodes } from "./nunjucks-internals.ts"
import { compare, defined, JinjaError, truthy, Undefined } from "./jinja-runtime.ts"
import { isPlainObject, pyStr } from "./pystr.ts"

type Fn = (...args: Array<unknown>) => unknown

/** The nunjucks Environment members we configure. */
export interface JinjaEnvironment {
  readonly filters: Record<string, Fn>
  readonly tests: Record<string, Fn>
  readonly globals: Record<string, unknown>
  addExtension(name: string, extension: object): unknown
}

/** nunjucks passes `f(a, k=v)` keyword arguments as a final object marked `__keywords`. */
export const splitKeywords = (args: ReadonlyArray<unknown>): { positional: Array<unknown>; keywords: Record<string, unknown> } => {
  const last = args.at(-1)
  if (isPlainObject(last) && Object.hasOwn(last, "__keywords")) {
    const { __keywords: _, ...keywords } = last
    return { positional: args.slice(0, -1), keywords }
  }
  return { positional: [...args], keywords: {} }
}

const extreme = (op: "<" | ">") => (value: unknown): unknown => {
  const items = Array.isArray(value) ? value : isPlainObject(value) ? Object.keys(value) : defined(value)
  if (!Array.isArray(items)) throw new JinjaError(`'${op === "<" ? "min" : "max"}' needs a list`)
  if (items.length === 0) return new Undefined("no items for min/max of an empty sequence")
  return items.reduce((best: unknown, x) => (compare([x, best], [op]) ? x : best))
}

const defaultFilter = (value: unknown, fallback: unknown = "", boolean: unknown = false): unknown => {
  if (value instanceof Undefined || value === undefined) return fallback
  return truthy(boolean) && !truthy(value) ? fallback : value
}

/** Python `dict(mapping_or_pairs, **kw)`. */
const dict = (...args: Array<unknown>): Record<string, unknown> => {
  const { keywords, positional } = splitKeywords(args)
  const source = positional[0]
  const base = source === undefined
    ? {}
    : isPlainObject(source)
    ? { ...source }
    : Object.fromEntries((defined(source) as Array<[string, unknown]>).map(([k, v]) => [String(k), v]))
  return { ...base, ...keywords }
}

/** Python `range(stop)` / `range(start, stop[, step])`. */
const pyRange = (...args: Array<unknown>): Array<number> => {
  args.forEach(defined)
  if (args.length === 0 || args.length > 3 || !args.every((a) => typeof a === "number" && Number.isInteger(a))) {
    throw new JinjaError(`range() takes 1 to 3 integer arguments`)
  }
  const [start, stop, step] = (args.length === 1 ? [0, args[0], 1] : [args[0], args[1], args[2] ?? 1]) as [number, number, number]
  if (step === 0) throw new JinjaError("range() arg 3 must not be zero")
  const out: Array<number> = []
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i)
  return out
}

const strictArgs = (name: string, fn: Fn): Fn =>
  function(this: unknown, ...args: Array<unknown>) {
    for (const arg of args) {
      if (arg instanceof Undefined) throw new JinjaError(`${arg.message} (passed to '${name}')`)
    }
    return fn.apply(this, args)
  }

interface ExtensionParser {
  nextToken(): { readonly value: string; readonly lineno: number; readonly colno: number }
  parseSignature(tolerant: null, noParens: boolean): unknown
  advanceAfterBlockEnd(name: string): void
}

/** `{% assert condition, "message" %}`: renders nothing, fails the render when false. */
const assertExtension = {
  tags: ["assert"],
  parse(parser: ExtensionParser, nodes: Nodes): unknown {
    const tag = parser.nextToken()
    const args = parser.parseSignature(null, true)
    parser.advanceAfterBlockEnd(tag.value)
    // nunjucks leaves extension nodes without a position; give it the tag's, for errors.
    return Object.assign(new nodes.CallExtension(assertExtension, "run", args) as object, {
      lineno: tag.lineno,
      colno: tag.colno
    })
  },
  run(_context: unknown, condition: unknown, message?: unknown): string {
    if (!truthy(condition)) throw new JinjaError(message === undefined ? "assertion failed" : pyStr(message))
    return ""
  }
}

export const installBuiltins = (env: JinjaEnvironment): void => {
  for (const [name, fn] of Object.entries(env.filters)) env.filters[name] = strictArgs(name, fn)
  for (const [name, fn] of Object.entries(env.tests)) env.tests[name] = strictArgs(name, fn)
  Object.assign(env.filters, {
    min: extreme("<"),
    max: extreme(">"),
    default: defaultFilter,
    d: defaultFilter
  })
  Object.assign(env.tests, {
    defined: (u: unknown) => !(u instanceof Undefined) && u !== undefined,
    undefined: (u: unknown) => u instanceof Undefined || u === undefined,
    none: (u: unknown) => defined(u) === null
  })
  env.globals["dict"] = dict
  env.globals["range"] = pyRange
  env.addExtension("assert", assertExtension)
}
