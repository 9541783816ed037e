/**
 * Loading whole files: Jinja + YAML + merges, includes, several files, errors.
 */
import { resolve } from "node:path"
import { Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { SpecLoadError } from "../src/errors.ts"
import { LiteralString, loadSpecDocument, loadSpecDocumentSync, positionAt, TAG_KEY } from "../src/loader/index.ts"

const fixtures = resolve(import.meta.dirname, "fixtures/loader")
const at = (p: string) => resolve(fixtures, p)

const loadError = (files: string | ReadonlyArray<string>, vars: Record<string, unknown> = {}): SpecLoadError => {
  try {
    loadSpecDocumentSync(files, vars)
  } catch (e) {
    if (e instanceof SpecLoadError) return e
    throw e
  }
  throw new Error("expected the load to fail")
}

describe("a single file", () => {
  const doc = loadSpecDocumentSync(at("basic.yaml"))
  const [memory, compute, plain] = (doc.data as any).top

  it("renders Jinja defaults and parses the YAML", () => {
    expect(memory[TAG_KEY]).toBe("Memory")
    expect(memory.name).toBe("buf")
    expect(memory.size).toBe("1024*8")
    expect(memory.quoted).toEqual(new LiteralString("1024*8"))
    expect(memory.single).toEqual(new LiteralString("x"))
    expect(memory).toMatchObject({ yes_string: "yes", inf_string: "inf", dot_inf: Infinity, tilde: null })
    expect(memory).toMatchObject({ tilde_name: "~Intermediates", sci: 1e9, small: 65e-9, bool_py: true, block: "a + b\n" })
    // Python prints None as "None", which YAML 1.2 reads as a string (as in AccelForge).
    expect(memory.none_py).toBe("None")
    expect(compute).toEqual({ [TAG_KEY]: "Compute", name: "MAC", tiny: 1e-12 })
    expect(plain).toEqual({ plain: 1 })
  })

  it("passes variables to Jinja", () => {
    const top = (loadSpecDocumentSync(at("basic.yaml"), { SIZE: 64, NAME: "glb" }).data as any).top
    expect(top[0]).toMatchObject({ name: "glb", size: "64*8" })
  })

  it("records files and positions", () => {
    expect(doc.files).toEqual([at("basic.yaml")])
    expect(doc.keySources).toEqual({ top: at("basic.yaml") })
    // `{% set %}` lines render as empty lines, so lines still match the source file.
    expect(positionAt(doc.data, ["top", 0, "size"])).toEqual({ file: at("basic.yaml"), line: 6, column: 5 })
  })
})

describe("includes", () => {
  const data = loadSpecDocumentSync(at("include/main.yaml")).data as any
  const part = { width: 8, extra: 5, private_visible: false, list: [1, 2] }

  it("include() passes template variables (not _private ones) and keyword arguments", () => {
    expect(data.from_include).toEqual(part)
  })

  it("include() with keys indexes the loaded value", () => {
    expect(data.from_include_key).toBe(8)
  })

  it("included values can be merged with <<<", () => {
    expect(data.merged).toEqual({ ...part, x: 1 })
  })

  it("include_all() indexes each file and gives a list", () => {
    expect(data.all).toEqual([1, 2])
  })

  it("include_text() pastes rendered text", () => {
    expect(data.header).toBe(16)
  })

  it("!include gets the original data, not the template's variables", () => {
    expect(data.direct).toEqual({ plain: "no width" })
  })

  it("!includedir, find_path, path_exists, cwd", () => {
    expect(data.dir).toEqual([{ v: 1 }, { v: 2 }])
    expect(data.found).toBe(at("include/lib/part.yaml"))
    expect(data.exists).toEqual([false, true])
    expect(data.here).toBe(at("include"))
  })

  it("keeps the positions of included values in their own file", () => {
    expect(positionAt(data, ["from_include", "list"])).toMatchObject({ file: at("include/lib/part.yaml"), line: 5 })
  })
})

describe("several files", () => {
  it("combines top-level keys, first file wins", () => {
    const doc = loadSpecDocumentSync([at("multi/a.yaml"), at("multi/b.yaml")], { V: 1 })
    expect(doc.data).toEqual({ arch: { from: "a" }, shared: "a", var: 1, workload: { from: "b" }, var_b: 1 })
    expect(doc.keySources).toMatchObject({ shared: at("multi/a.yaml"), workload: at("multi/b.yaml") })
  })

  it("expands globs and skips files already listed", () => {
    const doc = loadSpecDocumentSync([at("multi/b.yaml"), [at("multi/*.yaml")]], { V: 2 })
    expect(doc.files).toEqual([at("multi/b.yaml"), at("multi/a.yaml")])
    expect((doc.data as any).shared).toBe("b")
  })
})

describe("errors", () => {
  it("a missing file", () => {
    const e = loadError(at("nope.yaml"))
    expect(e.reason).toBe("file not found")
    expect(e.file).toBe(at("nope.yaml"))
    expect(loadError(at("multi/*.nothing")).reason).toBe("file not found")
  })

  it("a YAML syntax error has a line", () => {
    const e = loadError(at("errors/yaml-syntax.yaml"))
    expect(e.file).toBe(at("errors/yaml-syntax.yaml"))
    expect(e.line).toBeGreaterThanOrEqual(2)
    expect(e.message).toContain("yaml-syntax.yaml:")
  })

  it("a duplicate key", () => {
    expect(loadError(at("errors/duplicate.yaml"))).toMatchObject({ line: 3, reason: "duplicate key 'a' in a mapping" })
  })

  it("a failed assert", () => {
    expect(loadError(at("errors/assert.yaml"))).toMatchObject({ line: 2, reason: "N must be below 5" })
    expect(loadSpecDocumentSync(at("errors/assert.yaml"), { N: 1 }).data).toEqual({ x: 1 })
  })

  it("an undefined variable", () => {
    expect(loadError(at("errors/undefined.yaml"))).toMatchObject({ line: 2, reason: "'MISSING' is undefined" })
  })

  it("a Jinja syntax error", () => {
    expect(loadError(at("errors/jinja-syntax.yaml"))).toMatchObject({ line: 2 })
  })

  it("an error in an included file names that file, and where it was included", () => {
    const e = loadError(at("errors/nested.yaml"))
    expect(e).toMatchObject({ file: at("errors/undefined.yaml"), line: 2 })
    expect(e.reason).toContain(`included from ${at("errors/nested.yaml")}:2`)
  })

  it("a missing include, an unknown key, a circular include, setenv", () => {
    expect(loadError(at("errors/missing-include.yaml")).reason).toContain("path not found: 'nowhere.yaml'")
    expect(loadError(at("errors/include-key.yaml")).reason).toContain("no key 'nope' (keys: k)")
    expect(loadError(at("errors/circular.yaml")).reason).toContain("circular include")
    expect(loadError(at("errors/setenv.yaml")).reason).toContain("setenv() is not supported")
  })

  it("a top level that isn't a mapping", () => {
    expect(loadError(at("errors/list-top.yaml")).reason).toContain("must hold a mapping")
  })
})

describe("loadSpecDocument (Effect)", () => {
  it("succeeds with the document", () => {
    const doc = Effect.runSync(loadSpecDocument(at("multi/a.yaml"), { V: 3 }))
    expect(doc.data).toMatchObject({ var: 3 })
  })

  it("fails with a typed SpecLoadError", () => {
    const exit = Effect.runSyncExit(loadSpecDocument(at("errors/undefined.yaml")))
    expect(Exit.isFailure(exit)).toBe(true)
    const error = Effect.runSync(Effect.flip(loadSpecDocument(at("errors/undefined.yaml"))))
    expect(error).toBeInstanceOf(SpecLoadError)
    expect(error._tag).toBe("SpecLoadError")
    expect(error.line).toBe(2)
  })
})
