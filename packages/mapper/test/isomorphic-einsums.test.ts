/**
 * Einsums with the same search up to tensor names are searched once: the renamed table equals
 * the table searched from scratch, the best mapping is the same with reuse on or off, and any
 * difference the search could see (bits per value, a rank size, an expression naming one
 * tensor) keeps the Einsums apart.
 */
import { resolve } from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { type LoadedSpec, loadSpec } from "@effect-accelforge/core"
import { generatePmappings, generateOptionsOf, type PmappingTable, PmappingGenerator, searchLayer, searchSetup, type TemplateProgress } from "../src/index.ts"
import { mapFiles, mapSpec } from "./support/run-mapper.ts"

const REPO = resolve(import.meta.dirname, "../../..")
const ARCH = resolve(REPO, "examples/arches/two_level.yaml")
const BLOCK = resolve(REPO, "examples/workloads/transformer_block.yaml")

const load = (overrides: ReadonlyArray<string> = [], variables: Record<string, unknown> = { TOKENS: 64, HEADS: 2, HEAD_DIM: 16 }): Promise<LoadedSpec> =>
  Effect.runPromise(loadSpec({ files: [ARCH, BLOCK], variables, overrides: ["mapper.max_fused_loops=1", ...overrides] }))

const namesOf = (loaded: LoadedSpec): Record<string, string> => {
  const setup = searchSetup(loaded)
  return Object.fromEntries(setup.contexts.map((c, i) => [c.einsum.name, setup.contexts[setup.sameSearchAs[i]!]!.einsum.name]))
}

/** Everything the join reads of a table, in a comparable form. */
const contents = (table: PmappingTable) => ({
  einsum: table.einsum,
  templates: table.templates.length,
  groups: table.groups.map((g) => ({
    key: g.key,
    rows: g.rows,
    depth: g.depth,
    generated: g.generated,
    template: [...g.template],
    tiles: [...g.tiles],
    tileOffset: [...g.tileOffset],
    columns: g.columns.map((c) => [...c])
  }))
})

describe("isomorphic Einsums", () => {
  it("finds the projections that differ only in tensor, rank and rank variable names", async () => {
    const same = namesOf(await load())
    // Q and K read X with WQ/WK over the same ranks; V indexes rank F with f where Q has E, e.
    expect(same).toMatchObject({ Q: "Q", K: "Q", V: "Q", S: "S", O: "O" })
    expect(Object.entries(same).filter(([a, b]) => a !== b)).toEqual([["K", "Q"], ["V", "Q"]])
  })

  it("a renamed table equals the table searched from scratch", async () => {
    const loaded = await load()
    const setup = searchSetup(loaded)
    const tables = await Effect.runPromise(Effect.gen(function*() {
      return yield* (yield* PmappingGenerator).generate(loaded, setup, { jobs: 1 })
    }).pipe(Effect.provide(searchLayer())))
    // K is Q with other tensors; V also with another rank (F for E) under its fused loops.
    for (const name of ["K", "V"]) {
      const k = setup.contexts.findIndex((c) => c.einsum.name === name)
      const scratch = generatePmappings(setup.contexts[k]!, generateOptionsOf(loaded, setup, setup.contexts[k]!))
      expect(tables[k]!.counters.reusedFrom).toBe("Q")
      expect(tables[k]!.groups.some((g) => g.compatibility.tensors.some((t) => t.tensor === name))).toBe(true)
      expect(contents(tables[k]!)).toEqual(contents(scratch))
      expect(tables[k]!.templates).toBe(setup.templates[k])
    }
  }, 60_000)

  it("the best fused mapping is the same with reuse on or off", async () => {
    const on = await mapSpec(await load(["mapper.metrics=ENERGY_DELAY_PRODUCT"]))
    const off = await mapSpec(await load(["mapper.metrics=ENERGY_DELAY_PRODUCT", "mapper._reuse_isomorphic_einsums=false"]))
    expect(off.counters.some((c) => c.reusedFrom !== undefined)).toBe(false)
    expect(on.counters.some((c) => c.reusedFrom !== undefined)).toBe(true)
    expect(on.objectives).toEqual(off.objectives)
    expect(JSON.stringify(on.source.mapping)).toBe(JSON.stringify(off.source.mapping))
  }, 120_000)

  it("keeps Einsums apart when their tensors' bits per value differ", async () => {
    const same = namesOf(await load(["workload.bits_per_value={All - WK: 8, WK: 16}"]))
    expect(same.K).toBe("K")
  })

  it("keeps Einsums apart when an arch expression names one of the tensors", async () => {
    // The scratchpad may keep WQ but not WK: the templates differ.
    const same = namesOf(await load(["arch.nodes.1.tensors.may_keep=All - WK"]))
    expect(same.K).toBe("K")
  })

  it("the Mapper service reuses the search on worker threads too, and reports reused Einsums done", async () => {
    const request = { files: [ARCH, BLOCK], variables: { TOKENS: 64, HEADS: 2, HEAD_DIM: 16 }, overrides: ["mapper.max_fused_loops=1"] }
    const run = (jobs: number, progress: Array<TemplateProgress>) => mapFiles(request, { jobs, onProgress: (p) => progress.push(p) })
    const oneProgress: Array<TemplateProgress> = []
    const twoProgress: Array<TemplateProgress> = []
    const one = await run(1, oneProgress)
    const two = await run(2, twoProgress)
    expect(two.counters).toEqual(one.counters)
    expect(two.counters.find((c) => c.einsum === "K")!.reusedFrom).toBe("Q")
    expect(JSON.stringify(two.source.mapping)).toBe(JSON.stringify(one.source.mapping))
    for (const progress of [oneProgress, twoProgress]) {
      const k = progress.filter((p) => p.einsum === "K")
      expect(k).toHaveLength(1)
      expect(k[0]!.done).toBe(k[0]!.total)
      expect(k[0]!.total).toBeGreaterThan(0)
    }
  }, 120_000)

  it("searches the middle layers of a matmul chain once (each layer has its own ranks), with the same best mapping", async () => {
    const chain = (overrides: ReadonlyArray<string>) =>
      Effect.runPromise(loadSpec({ files: [ARCH, resolve(REPO, "examples/workloads/matmul_chain.yaml")], variables: { LAYERS: 4, TOKENS: 64, WIDTH: 32 }, overrides }))
    const same = namesOf(await chain([]))
    // The first layer reads the workload's input, the last writes its output: only X2..X3 repeat X2's search.
    expect(same).toEqual({ X1: "X1", X2: "X2", X3: "X2", X4: "X4" })
    const on = await mapSpec(await chain([]))
    const off = await mapSpec(await chain(["mapper._reuse_isomorphic_einsums=false"]))
    expect(on.counters.map((c) => c.reusedFrom)).toEqual([undefined, undefined, "X2", undefined])
    expect(on.objectives).toEqual(off.objectives)
    expect(JSON.stringify(on.source.mapping)).toBe(JSON.stringify(off.source.mapping))
  }, 120_000)
})
