/**
 * The Jinja sandbox: whatever chain of attributes, items, calls, filters and tests a
 * template builds over every value and built-in it can see, the result is a template value
 * (None, bool, number, str, list, dict, one of our callables, Undefined) or a template error,
 * never a JavaScript function, constructor, prototype, `process`, `globalThis` or `require`,
 * and nothing it calls changes the process.
 */
import { resolve } from "node:path"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { SpecLoadError } from "../src/errors.ts"
import { TemplateError } from "../src/loader/jinja/errors.ts"
import type { FileScope } from "../src/loader/jinja/files.ts"
import { parseTemplate } from "../src/loader/jinja/parser.ts"
import { evaluateExpression, Scope } from "../src/loader/jinja/render.ts"
import { Callable, Dict, fromHost, Undefined, type Value } from "../src/loader/jinja/values.ts"
import { createLoadSession } from "../src/loader/load.ts"
import { environment } from "../src/loader/template.ts"

const file = resolve(import.meta.dirname, "fixtures/loader/inline.yaml")

const DATA: Record<string, unknown> = {
  n: 3,
  x: 2.5,
  s: "text",
  b: true,
  none: null,
  l: [1, "a", [2], { k: 1 }],
  d: { a: 1, nested: { list: [1, 2] }, items: "shadow" }
}

const GLOBALS = ["range", "dict", "include", "include_all", "include_text", "add_to_path", "find_path", "find_paths", "path_exists", "cwd", "setenv", "getcwd"]
const BASES = [...GLOBALS, ...Object.keys(DATA), "1", "1.5", "'s'", "[]", "[1, 2]", "{}", "{'a': 1}", "True", "None", "(1)", "loop", "undefined_name"]

/** Names that reach the host in a JavaScript object, and the methods we do expose. */
const HOSTILE_NAMES = [
  "constructor", "__proto__", "prototype", "call", "apply", "bind", "toString", "valueOf", "hasOwnProperty",
  "__defineGetter__", "__lookupGetter__", "caller", "callee", "arguments", "length", "name", "process", "global",
  "globalThis", "require", "mainModule", "Function", "eval", "then", "__class__", "__globals__", "__init__", "mro",
  "__subclasses__", "__builtins__"
]
const METHODS = ["items", "keys", "values", "get", "append", "index", "count", "upper", "lower", "strip", "split", "join", "replace", "startswith"]
const FILTERS = ["default", "min", "max", "length", "abs", "int", "float", "round", "string", "lower", "upper", "trim", "first", "last", "list", "reverse", "unique", "sort", "sum", "join", "replace", "items", "dictsort", "attr", "map"]
const TESTS = ["defined", "undefined", "none", "number", "string", "mapping", "callable", "sequence", "iterable"]
const ARGS = ["", "'return process'", "'constructor'", "1", "'a', 'b'", "0", "x=1", "'.'", "[]", "d"]

const name = fc.constantFrom(...HOSTILE_NAMES, ...METHODS)
const step = fc.oneof(
  name.map((n) => `.${n}`),
  name.map((n) => `['${n}']`),
  fc.constantFrom("[0]", "[-1]", "[1:]"),
  fc.constantFrom(...ARGS).map((a) => `(${a})`),
  fc.constantFrom(...FILTERS).map((f) => `|${f}`),
  fc.tuple(fc.constantFrom(...FILTERS), fc.constantFrom(...ARGS)).map(([f, a]) => `|${f}(${a})`),
  fc.constantFrom(...TESTS).map((t) => ` is ${t}`)
)
const chain = fc.tuple(fc.constantFrom(...BASES), fc.array(step, { minLength: 1, maxLength: 6 })).map(([base, steps]) =>
  steps.reduce((e, s) => (s.startsWith(" is") ? `(${e}${s})` : `${e}${s}`), base)
)

const FORBIDDEN: ReadonlyArray<unknown> = [Function, globalThis, process, Object, Array, String, Number, Boolean, Symbol, eval]

/** Whether `v` is a template value all the way down. */
const isTemplateValue = (v: unknown, depth = 0): boolean => {
  if (depth > 50) return true
  if (FORBIDDEN.includes(v)) return false
  if (v === null || typeof v === "boolean" || typeof v === "number" || typeof v === "string") return true
  if (typeof v !== "object") return false
  const proto = Object.getPrototypeOf(v)
  if (Array.isArray(v)) return proto === Array.prototype && v.every((x) => isTemplateValue(x, depth + 1))
  if (proto === Dict.prototype) return [...(v as Dict).entries].every(([k, x]) => isTemplateValue(k, depth + 1) && isTemplateValue(x, depth + 1))
  return proto === Callable.prototype || proto === Undefined.prototype
}

const evaluate = (source: string): { value?: Value; error?: unknown } => {
  const session = createLoadSession()
  const top = new Scope(undefined, Object.entries(DATA).map(([k, v]) => [k, fromHost(v)] as const))
  const scope: FileScope = { session, request: { file, data: DATA, extraDirs: [], depth: 0 }, extraDirs: [], variables: () => top.vars }
  const env = environment(scope, session)
  // Inside a loop, so that `loop` is defined too.
  const inner = new Scope(top)
  inner.vars.set("loop", new Dict([["index", 1], ["first", true]]))
  try {
    const [stmt] = parseTemplate(`{{ ${source} }}`)
    if (stmt?.kind !== "output") throw new Error("expected one output statement")
    return { value: evaluateExpression(stmt.expr, inner, env) }
  } catch (error) {
    return { error }
  }
}

describe("Jinja sandbox", () => {
  it("no chain of attributes, items, calls, filters or tests reaches the host", () => {
    const envBefore = JSON.stringify(process.env)
    const cwdBefore = process.cwd()
    fc.assert(
      fc.property(chain, (source) => {
        const { error, value } = evaluate(source)
        if (error !== undefined) {
          // Only our own errors: a JavaScript TypeError would mean a host object was touched.
          expect(error instanceof TemplateError || error instanceof SpecLoadError, `${source}: ${String(error)}`).toBe(true)
          return
        }
        expect(isTemplateValue(value), source).toBe(true)
      }),
      { seed: 1313, numRuns: 3000 }
    )
    expect(JSON.stringify(process.env)).toBe(envBefore)
    expect(process.cwd()).toBe(cwdBefore)
  })

  it("the escapes reported in issue 13 fail with a located template error", () => {
    for (const source of [
      "cycler.constructor('return process')()",
      "range.constructor('return process')()",
      "dict.constructor('return process')()",
      "include.constructor('return process')()",
      "cwd.constructor('return process')()",
      "joiner.constructor('return process')()",
      "(1).constructor.constructor('return process')()",
      "''.constructor.constructor('return process')()",
      "d.items.constructor('return process')()",
      "range|attr('constructor')"
    ]) {
      const { error } = evaluate(source)
      expect(error, source).toBeInstanceOf(TemplateError)
      expect((error as TemplateError).line, source).toBe(1)
    }
  })
})
