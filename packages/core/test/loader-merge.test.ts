/**
 * Merge keys `<<` (shallow) and `<<<` (deep), applied innermost first (spec §1.5).
 */
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { SpecLoadError } from "../src/errors.ts"
import { loadSpecDocumentSync } from "../src/loader/load.ts"
import { applyMerges, markNoMerge } from "../src/loader/merge.ts"

const fixtures = resolve(import.meta.dirname, "fixtures/loader")

describe("applyMerges", () => {
  it("<< adds missing keys after the existing ones; existing keys win", () => {
    const v = applyMerges({ a: 2, "<<": { a: 1, b: { c: 1 } } }) as any
    expect(v).toEqual({ a: 2, b: { c: 1 } })
    expect(Object.keys(v)).toEqual(["a", "b"])
  })

  it("<< is shallow: a nested dict is not merged", () => {
    expect(applyMerges({ b: { x: 1 }, "<<": { b: { y: 2 } } })).toEqual({ b: { x: 1 } })
  })

  it("<<< merges dicts recursively and concatenates lists local first", () => {
    const v = applyMerges({ b: { c: 5, d: [0] }, "<<<": { b: { c: 1, d: [1], f: 2 }, g: 3 } })
    expect(v).toEqual({ b: { c: 5, d: [0, 1], f: 2 }, g: 3 })
  })

  it("folds a list left to right, earlier elements winning", () => {
    expect(applyMerges({ "<<<": [{ a: 1, l: [1] }, { a: 2, b: 2, l: [2] }] })).toEqual({ a: 1, l: [1, 2], b: 2 })
    expect(applyMerges({ "<<": [{ a: 1 }, { a: 2, b: 2 }] })).toEqual({ a: 1, b: 2 })
  })

  it("never merges into a value marked !nomerge", () => {
    const local = [9]
    markNoMerge(local)
    expect(applyMerges({ e: local, "<<<": { e: [10] } })).toEqual({ e: [9] })
  })

  it("copies the merged value, leaving the source untouched", () => {
    const shared = { k: { deep: 1 } }
    const v = applyMerges({ a: { "<<<": shared }, b: { "<<<": shared } }) as any
    expect(v.a.k).not.toBe(shared.k)
    v.a.k.deep = 2
    expect(v.b.k.deep).toBe(1)
  })

  it("merges inner mappings before outer ones", () => {
    // The inner merge gives x.k; the outer deep merge then sees it as local.
    const v = applyMerges({ x: { "<<<": { k: 1 } }, "<<<": { x: { k: 2, j: 3 } } })
    expect(v).toEqual({ x: { k: 1, j: 3 } })
  })

  it("rejects non-dict values and two merge keys", () => {
    expect(() => applyMerges({ "<<<": 5 })).toThrow(/must be a mapping or a list of mappings/)
    expect(() => applyMerges({ "<<": [{ a: 1 }, "x"] })).toThrow(/every item/)
    expect(() => applyMerges({ "<<": {}, "<<<": {} })).toThrow(/only one merge key/)
  })
})

describe("merge keys in YAML files", () => {
  const data = loadSpecDocumentSync(resolve(fixtures, "merge/merge.yaml")).data as any

  it("handles << with an alias and with a list", () => {
    expect(data.shallow).toEqual({ a: 2, b: { c: 1, d: [1] } })
    expect(data.shallow_list).toEqual({ a: 1, z: 1, y: 2 })
  })

  it("handles <<< with !nomerge and nested merges", () => {
    expect(data.deep).toEqual({ b: { c: 5, d: [0, 1], e: [9], f: 2 }, g: 3 })
    expect(data.nested).toEqual({ inner: { j: 0, k: 1 } })
    expect(data.nomerge_map).toEqual({ m: { a: 1 } })
  })

  it("reports a bad merge value with its position", () => {
    const file = resolve(fixtures, "errors/bad-merge.yaml")
    expect(() => loadSpecDocumentSync(file)).toThrow(SpecLoadError)
    try {
      loadSpecDocumentSync(file)
    } catch (e) {
      expect(e).toMatchObject({ file, line: 2 })
    }
  })
})
