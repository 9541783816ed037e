/**
 * The YAML layer: YAML 1.2 core schema, quoted scalars as LiteralString, node tags, loader
 * tags, positions, errors.
 */
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { SpecLoadError } from "../src/errors.ts"
import { createLoadSession, parseYamlValue } from "../src/loader/load.ts"
import { LiteralString, positionAt, sourcePositions, TAG_KEY } from "../src/loader/raw.ts"
import { parseYaml } from "../src/loader/yaml.ts"

const fixtures = resolve(import.meta.dirname, "fixtures/loader")
const file = resolve(fixtures, "inline.yaml")

const parse = (text: string): any => {
  const session = createLoadSession()
  return parseYaml(text, { session, request: { file, data: {}, extraDirs: [], depth: 0 } })
}

const parseError = (text: string): SpecLoadError => {
  try {
    parse(text)
  } catch (e) {
    if (e instanceof SpecLoadError) return e
    throw e
  }
  throw new Error("expected a parse error")
}

describe("scalars (YAML 1.2 core schema)", () => {
  it("resolves plain scalars as YAML 1.2 does", () => {
    const v = parse("a: yes\nb: no\nc: inf\nd: .inf\ne: ~\nf: ~Intermediates\ng: 1e9\nh: 65e-9\ni: True\nj: 0x10\nk: null\nl:\n")
    expect(v).toEqual({ a: "yes", b: "no", c: "inf", d: Infinity, e: null, f: "~Intermediates", g: 1e9, h: 65e-9, i: true, j: 16, k: null, l: null })
  })

  it("turns quoted scalars into LiteralString, other strings into plain strings", () => {
    const v = parse("a: \"1024*8\"\nb: '1'\nc: 1024*8\nd: |\n  x + y\n")
    expect(v.a).toBeInstanceOf(LiteralString)
    expect(v.a.value).toBe("1024*8")
    expect(v.b).toEqual(new LiteralString("1"))
    expect(v.c).toBe("1024*8")
    expect(v.d).toBe("x + y\n")
  })
})

describe("tags", () => {
  it("records the local tag of a mapping under TAG_KEY", () => {
    const v = parse("nodes:\n- !Memory\n  name: M\n- !Compute {name: C}\n- {name: untagged}\n")
    expect(v.nodes).toEqual([{ [TAG_KEY]: "Memory", name: "M" }, { [TAG_KEY]: "Compute", name: "C" }, { name: "untagged" }])
  })

  it("rejects node tags on scalars and lists", () => {
    expect(parseError("a: !Memory 3").reason).toContain("can only be used on a mapping")
    expect(parseError("a: !Memory [1]").reason).toContain("can only be used on a mapping")
  })

  it("refuses an unknown !include_loaded id", () => {
    expect(parseError("a: !include_loaded 7.x").reason).toContain("no included value with id '7'")
  })

  it("!include loads a file relative to this one, with the same data", () => {
    expect(parse("a: !include errors/small.yaml,")).toEqual({ a: { k: 1 } })
    expect(parse("a: !include include/lib/plain.yaml")).toEqual({ a: { plain: "no width" } })
  })

  it("!includedir loads every .yaml of a directory in name order", () => {
    expect(parse("a: !includedir include/many")).toEqual({ a: [{ v: 1 }, { v: 2 }] })
  })
})

describe("anchors and merge keys", () => {
  it("shares the anchored value between aliases", () => {
    const v = parse("a: &x {k: [1]}\nb: *x\n")
    expect(v.b).toBe(v.a)
  })

  it("leaves << as a key for the merge step", () => {
    expect(parse("a: &x {k: 1}\nb: {<<: *x}\n").b).toEqual({ "<<": { k: 1 } })
  })

  it("rejects an alias inside its own anchor", () => {
    expect(parseError("a: &x [1, *x]").reason).toContain("cannot refer to a collection that contains it")
  })
})

describe("positions", () => {
  it("records every mapping and sequence and their entries", () => {
    const v = parse("top:\n  - name: a\n    size: 3\n  - [1, 2]\n")
    expect(sourcePositions.get(v)).toMatchObject({ file, line: 1, column: 1 })
    expect(sourcePositions.get(v.top)?.entries.get(1)).toEqual({ line: 4, column: 5 })
    expect(positionAt(v, ["top", 0, "size"])).toEqual({ file, line: 3, column: 5 })
    expect(positionAt(v, ["top", 1])).toEqual({ file, line: 4, column: 5 })
  })
})

describe("errors", () => {
  it("reports YAML syntax errors with file, line and column", () => {
    const e = parseError("a: 1\nb: [1, 2\nc: 3\n")
    expect(e.file).toBe(file)
    expect(e.reason).toMatch(/^YAML syntax error/)
    expect(e.line).toBeGreaterThanOrEqual(2)
    expect(e.column).toBeGreaterThanOrEqual(1)
  })

  it("reports duplicate keys", () => {
    const e = parseError("a: 1\nb: 2\na: 3\n")
    expect(e.reason).toBe("duplicate key 'a' in a mapping")
    expect(e.line).toBe(3)
  })

  it("reports several documents", () => {
    const e = parseError("a: 1\n---\nb: 2\n")
    expect(e.reason).toMatch(/^a second YAML document starts here/)
    expect(e.line).toBe(2)
  })
})

describe("parseYamlValue (command-line values)", () => {
  it("gives plain JS values, quoted strings as plain strings", () => {
    expect(parseYamlValue("'quoted'", "-D X")).toBe("quoted")
    expect(parseYamlValue("1e3", "-D X")).toBe(1000)
    expect(parseYamlValue("[1, {a: yes}]", "-D X")).toEqual([1, { a: "yes" }])
    expect(parseYamlValue("inf", "-D X")).toBe("inf")
    expect(parseYamlValue("true", "-D X")).toBe(true)
  })

  it("fails with a SpecLoadError naming the origin", () => {
    expect(() => parseYamlValue("[1, 2", "--set arch.x")).toThrow(SpecLoadError)
    try {
      parseYamlValue("[1, 2", "--set arch.x")
    } catch (e) {
      expect((e as SpecLoadError).file).toBe("--set arch.x")
    }
  })
})
