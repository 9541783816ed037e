/**
 * The Jinja interpreter beyond what AccelForge's examples use: the rest of Jinja2's syntax
 * we accept, its Python semantics, and the per-load limits.
 */
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { SpecLoadError } from "../src/errors.ts"
import { DEFAULT_LIMITS, type LoadLimits } from "../src/loader/limits.ts"
import { createLoadSession } from "../src/loader/load.ts"
import { renderSource } from "../src/loader/template.ts"

const file = resolve(import.meta.dirname, "fixtures/loader/inline.yaml")

const render = (source: string, data: Record<string, unknown> = {}, limits: LoadLimits = DEFAULT_LIMITS): string =>
  renderSource(createLoadSession(limits), { file, data, extraDirs: [], depth: 0 }, source)

const failure = (source: string, data: Record<string, unknown> = {}, limits: LoadLimits = DEFAULT_LIMITS): SpecLoadError => {
  try {
    render(source, data, limits)
  } catch (e) {
    if (e instanceof SpecLoadError) return e
    throw e
  }
  throw new Error("expected the render to fail")
}

describe("Jinja syntax", () => {
  it("elif, for-else, loop variables, tuple targets and a loop filter", () => {
    expect(render("{% if n == 1 %}a{% elif n == 2 %}b{% else %}c{% endif %}", { n: 2 })).toBe("b")
    expect(render("{% for x in [] %}x{% else %}empty{% endfor %}")).toBe("empty")
    expect(render("{% for x in 'abc' %}{{ loop.index }}{{ x }}{% if not loop.last %},{% endif %}{% endfor %}")).toBe("1a,2b,3c")
    expect(render("{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }} {% endfor %}")).toBe("a=1 b=2 ")
    expect(render("{% for i in range(10) if i is divisibleby 3 %}{{ i }}{% endfor %}")).toBe("0369")
  })

  it("set blocks, tuple assignment, and loop-local sets", () => {
    expect(render("{% set x %}a{{ 1 + 1 }}{% endset %}{{ x }}")).toBe("a2")
    expect(render("{% set a, b = [1, 2] %}{{ b }}{{ a }}")).toBe("21")
    expect(render("{% set x = 1 %}{% for i in [5] %}{% set x = i %}{% endfor %}{{ x }}")).toBe("1")
    expect(render("{% if True %}{% set x = 2 %}{% endif %}{{ x }}")).toBe("2")
  })

  it("whitespace control, comments, nested braces inside tags and string escapes", () => {
    expect(render("a  {%- if True -%}  b  {%- endif -%}  c")).toBe("abc")
    expect(render("a{# a comment #}b")).toBe("ab")
    expect(render("{{ {'a': {'b': 1}} }}")).toBe("{'a': {'b': 1}}")
    expect(render("{{ 'it\\'s' }} {{ \"tab\\there\" }}")).toBe("it's tab\there")
  })

  it("slices, negative indices, string methods and filters", () => {
    expect(render("{{ [1, 2, 3, 4][1:3] }} {{ 'hello'[::-1] }} {{ [1, 2, 3][-1] }}")).toBe("[2, 3] olleh 3")
    expect(render("{{ 'a,b'.split(',') | join('-') }} {{ [3, 1, 2] | sort }} {{ [1, 1, 2] | unique | list }}")).toBe("a-b [1, 2, 3] [1, 2]")
    expect(render("{{ 2.567 | round(2) }} {{ '42' | int + 1 }} {{ [1, 2] | sum }} {{ 'x' ~ 1 ~ True }}")).toBe("2.57 43 3 x1True")
  })

  it("unknown tags, filters and tests are errors that name them", () => {
    expect(failure("{% macro m() %}{% endmacro %}").reason).toContain("unknown tag 'macro' (supported: set, if, for, include, raw, assert)")
    expect(failure("{{ 1 | nope }}").reason).toBe("no filter named 'nope'")
    expect(failure("{{ 1 is nope }}").reason).toBe("no test named 'nope'")
    expect(failure("a\n{% if True %}").reason).toContain("missing {% elif %} or {% else %} or {% endif %}")
  })
})

describe("per-load limits", () => {
  const small: LoadLimits = { ...DEFAULT_LIMITS, template_iterations: 10, template_output: 20 }

  it("count loop iterations across loops, and the size of built lists", () => {
    expect(render("{% for i in range(10) %}{% endfor %}", {}, small)).toBe("")
    expect(failure("{% for i in range(6) %}{% endfor %}{% for i in range(6) %}{% endfor %}", {}, small).reason).toContain("template_iterations")
    expect(failure("{{ range(11) }}", {}, small).reason).toContain("range(11) would build 11 items")
    expect(failure("{{ [1] * 11 }}", {}, small).reason).toContain("'*' would build 11 items")
  })

  it("count printed characters, and the size of built strings", () => {
    expect(failure("{{ 'x' * 21 }}", {}, small).reason).toContain("would be 21 characters long")
    expect(failure("{% for i in range(3) %}0123456789{% endfor %}", {}, small).reason).toContain("printed more than 20 characters")
  })
})
