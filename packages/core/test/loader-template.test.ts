/**
 * The Jinja layer: our interpreter behaves like Python Jinja2 for what AccelForge specs use.
 */
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { SpecLoadError } from "../src/errors.ts"
import { createLoadSession } from "../src/loader/load.ts"
import { pyStr } from "../src/loader/pystr.ts"
import { renderSource } from "../src/loader/template.ts"

const fixtures = resolve(import.meta.dirname, "fixtures/loader")
const file = resolve(fixtures, "inline.yaml")

const render = (source: string, data: Record<string, unknown> = {}): string =>
  renderSource(createLoadSession(), { file, data, extraDirs: [], depth: 0 }, source)

const renderError = (source: string, data: Record<string, unknown> = {}): SpecLoadError => {
  try {
    render(source, data)
  } catch (e) {
    if (e instanceof SpecLoadError) return e
    throw e
  }
  throw new Error("expected the render to fail")
}

describe("Python str() printing", () => {
  it("prints Python literals and containers", () => {
    expect(render("{{ True }} {{ False }} {{ None }}")).toBe("True False None")
    expect(render("{{ [1, 'a', True, None] }}")).toBe("[1, 'a', True, None]")
    expect(render("{{ {'a': 1, 'b': [2.5]} }}")).toBe("{'a': 1, 'b': [2.5]}")
    expect(render("{{ x }}", { x: { k: "it's" } })).toBe(`{'k': "it's"}`)
  })

  it("prints numbers as Python does", () => {
    expect(render("{{ 4 * 2 }} {{ 10 / 4 }} {{ 0.1 + 0.2 }}")).toBe("8 2.5 0.30000000000000004")
    expect(pyStr(1e-5)).toBe("1e-05")
    expect(pyStr(1.5e-7)).toBe("1.5e-07")
    expect(pyStr(1e16)).toBe("1e+16")
    expect(pyStr(123456789)).toBe("123456789")
    expect(pyStr(Infinity)).toBe("inf")
  })

  it("reads float literals with exponents", () => {
    expect(render("{{ 1e-12 }} {{ 1e9 }} {{ 7.03e-12 }} {{ 1.5e3 }} {{ 2E+2 }}")).toBe("1e-12 1000000000 7.03e-12 1500 200")
    // With spaces it is not a literal: Jinja2 reads `1` then the name `e`, a syntax error.
    expect(renderError("{{ 1e - 12 }}").reason).toContain("Jinja syntax error")
  })
})

describe("Jinja2 expressions", () => {
  it("supports default, is defined, inline if", () => {
    expect(render("{% set X = X | default(3) %}{{ X }}")).toBe("3")
    expect(render("{% set X = X | default(3) %}{{ X }}", { X: 7 })).toBe("7")
    expect(render("{{ 'yes' if X is defined else 'no' }}")).toBe("no")
    expect(render("{{ 'yes' if X is defined else 'no' }}", { X: null })).toBe("yes")
    expect(render("{{ 'a' if DECODE else 'b' }}", { DECODE: false })).toBe("b")
  })

  it("uses Python truthiness and operators", () => {
    expect(render("{{ 'full' if L else 'empty' }}", { L: [] })).toBe("empty")
    expect(render("{{ 'full' if D else 'empty' }}", { D: {} })).toBe("empty")
    expect(render("{{ [] or 'z' }} {{ 0 and 1 }} {{ not [] }}")).toBe("z 0 True")
    expect(render("{{ -7 % 3 }} {{ 7 % 3 }} {{ 7 // 2 }} {{ 2 ** 10 }}")).toBe("2 1 3 1024")
    expect(render("{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ [1, 2] == [1, 2] }} {{ '1' == 1 }}")).toBe("True False True False")
  })

  it("supports in / not in on lists, strings and dicts", () => {
    expect(render("{{ 'a' in ['a', 'b'] }} {{ 'c' not in ['a'] }} {{ 'ell' in 'hello' }}")).toBe("True True True")
    expect(render("{{ 'keep' in D }} {{ 'other' not in D }}", { D: { keep: 1 } })).toBe("True True")
  })

  it("supports range, min, max, dict and dict methods", () => {
    expect(render("{{ range(3) }} {{ range(1, 4) }}")).toBe("[0, 1, 2] [1, 2, 3]")
    expect(render("{% for i in range(N+1) %}n{{i}} {% endfor %}", { N: 2 })).toBe("n0 n1 n2 ")
    expect(render("{{ [N, M * 2] | min }} {{ [N, M * 2] | max }}", { N: 8, M: 256 })).toBe("8 512")
    expect(render("{{ dict() }} {{ dict(a=1, b='x') }}")).toBe("{} {'a': 1, 'b': 'x'}")
    const d = { keep: "All", may_keep: "~Outputs" }
    expect(render("{% for k, v in D.items() %}{{k}}: {{v}};{% endfor %}", { D: d })).toBe("keep: All;may_keep: ~Outputs;")
    expect(render("{{ D.keys() }} {{ D.values() }} {{ D.get('x', 0) }}", { D: { a: 1 } })).toBe("['a'] [1] 0")
    // The data object itself is not given extra properties.
    expect(Object.keys(d)).toEqual(["keep", "may_keep"])
  })

  it("accepts callables passed in the data", () => {
    expect(render("{{ ceil(7 / 2) }}", { ceil: Math.ceil })).toBe("4")
  })

  it("keeps Jinja's whitespace rules and raw blocks", () => {
    expect(render("a\n{% set x = 1 %}\nb\n")).toBe("a\n\nb")
    expect(render("{% raw %}{{ not rendered }}{% endraw %}")).toBe("{{ not rendered }}")
  })
})

describe("{% assert %}", () => {
  it("renders nothing when the condition holds", () => {
    expect(render("{% assert N <= 4, 'too many' %}ok", { N: 4 })).toBe("ok")
  })

  it("fails with the message, file and line", () => {
    const e = renderError("a: 1\n\n{% assert N <= 4, \"N exceeds 4\" %}", { N: 5 })
    expect(e.reason).toBe("N exceeds 4")
    expect(e.file).toBe(file)
    expect(e.line).toBe(3)
  })
})

describe("strict undefined", () => {
  it("fails when an undefined name is printed", () => {
    const e = renderError("a: 1\nb: {{ MISSING }}")
    expect(e.reason).toBe("'MISSING' is undefined")
    expect(e.line).toBe(2)
    expect(e.column).toBeGreaterThan(0)
  })

  it("fails when an undefined name is used in a condition or arithmetic", () => {
    expect(renderError("{% if DECODE %}x{% endif %}").reason).toBe("'DECODE' is undefined")
    expect(renderError("{% set A = B + 1 %}").reason).toBe("'B' is undefined")
    expect(renderError("{{ B | length }}").reason).toContain("'B' is undefined")
    expect(renderError("{% for i in range(N) %}{% endfor %}").reason).toBe("'N' is undefined")
    expect(renderError("{{ D.nope }}", { D: {} }).reason).toBe("'dict object' has no attribute 'nope'")
  })
})

describe("file functions", () => {
  it("cwd() is the directory of the rendered file", () => {
    expect(render("{{ cwd() }}")).toBe(fixtures)
  })

  it("refuses setenv", () => {
    expect(renderError("{{ setenv('A', 'B') }}").reason).toContain("setenv() is not supported")
    expect(process.env["A"]).toBeUndefined()
  })

  it("reports Jinja syntax errors with their position", () => {
    const e = renderError("a: 1\nb: {% if %}")
    expect(e.reason).toMatch(/^Jinja syntax error/)
    expect(e.line).toBe(2)
  })

  it("finds paths relative to the file, then add_to_path dirs", () => {
    expect(render("{{ path_exists('part.yaml') }}")).toBe("False")
    expect(render("{{ add_to_path('include/lib') }}{{ path_exists('part.yaml') }}")).toBe("True")
    expect(render("{{ add_to_path('include/lib') }}{{ find_path('part.yaml') }}")).toBe(resolve(fixtures, "include/lib/part.yaml"))
    expect(render("{{ find_paths('include/many/*.yaml') | length }}")).toBe("2")
    expect(renderError("{{ find_path('nope.yaml') }}").reason).toContain(`tried: ${resolve(fixtures, "nope.yaml")}`)
  })

  it("include() returns an !include_loaded reference, with keys", () => {
    expect(render("{{ include('errors/small.yaml') }}")).toMatch(/^!include_loaded \d+$/)
    expect(render("{{ include('errors/small.yaml', 'a.b') }}")).toMatch(/^!include_loaded \d+\.a\.b$/)
    expect(renderError("{{ include('include/many/*.yaml') }}").reason).toContain("matches 2 files")
  })

  it("include_text() pastes the rendered text with the template's variables", () => {
    expect(render("{% set WIDTH = 4 %}{{ include_text('include/header.yaml') }}")).toBe("header: 8")
    expect(render("{{ include_text('include/header.yaml', WIDTH=1) }}")).toBe("header: 2")
  })
})

describe("Jinja template tags", () => {
  it("{% include %} resolves like include_text() and renders with the same semantics", () => {
    expect(render("{% set WIDTH = 2 %}{% include 'include/header.yaml' %}")).toBe("header: 4")
    const e = renderError("{% include 'include/header.yaml' %}")
    expect(e.reason).toMatch(/^'WIDTH' is undefined\n  included from .*inline.yaml:1$/)
    expect(e.file).toBe(resolve(fixtures, "include/header.yaml"))
  })
})
