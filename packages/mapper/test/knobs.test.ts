/**
 * The mapper knobs AccelForge documents (seed 000, FFM notes §7): each one either changes the
 * search as documented or, when set to anything but its default, ends in one clear error
 * naming the field and where the spec sets it. None is accepted and ignored.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { EvaluationError, type LoadedSpec, loadSpec } from "@effect-accelforge/core"
import {
  divisorChains,
  type LoopSlot,
  type MapResult,
  SearchLimitError,
  searchSetup,
  type Template,
  templateLoopCounter
} from "../src/index.ts"
import { mapFailure, mapping, mapSpec } from "./support/run-mapper.ts"

const REPO = resolve(import.meta.dirname, "../../..")
const FILES = [resolve(REPO, "examples/arches/two_level.yaml"), resolve(REPO, "examples/workloads/matmul_chain.yaml")]
const VARIABLES = { LAYERS: 2, TOKENS: 64, WIDTH: 32 }

const load = (overrides: ReadonlyArray<string> = [], files: ReadonlyArray<string> = FILES): Promise<LoadedSpec> =>
  Effect.runPromise(loadSpec({ files, variables: VARIABLES, overrides }))

/** Every Pareto-optimal pmapping of every table: its template and tile row. */
const pmappings = (r: MapResult): Array<{ template: Template; tiles: Int32Array }> =>
  r.tables.flatMap((t) => t.groups.flatMap((g) =>
    Array.from({ length: g.rows }, (_, row) => {
      const template = t.templates[g.template[row]!]!
      return { template, tiles: g.tiles.subarray(g.tileOffset[row]!, g.tileOffset[row]! + template.loopPositions.length) }
    })
  ))

/** Loops of more than one iteration in a pmapping. */
const loopsUsed = (p: { template: Template; tiles: Int32Array }): number =>
  Array.from(templateLoopCounter(p.template, p.template.context.einsum.bounds)(p.tiles, 0)).filter((n) => n > 1).length

const mostLoops = (r: MapResult): number => Math.max(...pmappings(r).map(loopsUsed))

describe("mapper knobs", () => {
  it("max_loops bounds the loops of every pmapping (of more than one iteration)", async () => {
    const free = await mapSpec(await load())
    // Every rank variable needs one loop at least (3 per matmul).
    const bounded = await mapSpec(await load(["mapper.max_loops=3"]))
    expect(mostLoops(free)).toBeGreaterThan(3)
    expect(mostLoops(bounded)).toBeLessThanOrEqual(3)
    expect(bounded.objectives.energy!).toBeGreaterThanOrEqual(free.objectives.energy! * (1 - 1e-12))
  }, 60_000)

  it("max_loops_minus_ranks bounds the loops to the rank variables plus that many", async () => {
    // Each matmul has 3 rank variables with a bound above 1.
    const bounded = await mapSpec(await load(["mapper.max_loops_minus_ranks=1"]))
    expect(mostLoops(bounded)).toBeLessThanOrEqual(4)
    const free = await mapSpec(await load())
    expect(mostLoops(free)).toBeGreaterThan(4)
  }, 60_000)

  it("tiling_coarseness keeps a loop's tile only when it is at least c times the last kept candidate (and the full bound)", () => {
    // Candidates above an inner tile 1 of a bound 16, c = 4: 1, 4, 16 (2 < 4 and 8 < 16 are skipped); above 4: 4, 16.
    const chains = (loops: number) => Array.from(divisorChains(16, loops, 4))
    expect(chains(2)).toEqual([1, 1, 4, 1, 16, 1])
    expect(chains(3)).toEqual([1, 1, 1, 4, 1, 1, 4, 4, 1, 16, 1, 1, 16, 4, 1, 16, 16, 1])
    expect(Array.from(divisorChains(16, 2, 1))).toEqual([1, 1, 2, 1, 4, 1, 8, 1, 16, 1])
  })

  it("tiling_coarseness shrinks the search: fewer tile rows, every tile a coarse candidate", async () => {
    const fine = await mapSpec(await load())
    const coarse = await mapSpec(await load(["mapper.tiling_coarseness=4"]))
    const total = (r: MapResult) => r.counters.reduce((s, c) => s + c.total, 0)
    expect(total(coarse)).toBeLessThan(total(fine))
    // Every chosen tile of a loop is 1, a power of 4 or the full bound (64 and 32 here).
    for (const p of pmappings(coarse)) for (const t of p.tiles) expect([1, 4, 16, 32, 64]).toContain(t)
    expect(coarse.objectives.energy!).toBeGreaterThanOrEqual(fine.objectives.energy! * (1 - 1e-12))
  }, 60_000)

  it("time_limit_per_pmapping_template stops a template that runs longer, naming the knob", async () => {
    const error = await mapFailure(mapping(await load(["mapper.time_limit_per_pmapping_template=1e-9"])))
    expect(error).toBeInstanceOf(SearchLimitError)
    expect(error).toMatchObject({ limit: "time_limit_per_pmapping_template" })
    expect(error.message).toMatch(/time_limit_per_pmapping_template of 1e-9 s exceeded while .*template 1 of/)
  })

  it("memory_limit_per_process bounds the search's process (its worker threads share it)", async () => {
    const error = await mapFailure(mapping(await load(["mapper.memory_limit_per_process=1"])))
    expect(error).toMatchObject({ _tag: "SearchLimitError", limit: "memory_limit_per_process" })
    expect(error.message).toContain("raise mapper.memory_limit_per_process")
    // The smaller of the two memory limits applies.
    const both = await mapFailure(mapping(await load(["mapper.memory_limit_per_process=1e15", "mapper.memory_limit=1"])))
    expect(both).toMatchObject({ limit: "memory_limit" })
  })

  it("prioritize_reuse_of_unfused_tensors puts a level's copies of tensors kept above over the tensors it backs", async () => {
    const orderBroken = (t: Template): boolean => t.nodes.some((a, i) =>
      a.kind === "storage" && a.backing && t.nodes.slice(i + 1).some((b) => b.kind === "storage" && b.level === a.level && !b.backing)
    )
    const plain = searchSetup(await load())
    const prioritized = searchSetup(await load(["mapper.prioritize_reuse_of_unfused_tensors=true"]))
    const all = (s: typeof plain) => s.templates.flat()
    expect(all(plain).some(orderBroken)).toBe(true)
    expect(all(prioritized).some(orderBroken)).toBe(false)
    expect(all(prioritized).length).toBeLessThan(all(plain).length)
  })

  describe("knobs that are not supported end in one error naming the field and the line that sets it", () => {
    const dir = mkdtempSync(join(tmpdir(), "knobs-"))
    it.each([
      ["explore_imperfect_spatial_loops", "true", /tile does not divide its rank .* imperfect factorization is left out/],
      ["explore_imperfect_temporal_loops", "true", /tile does not divide its rank .* imperfect factorization is left out/],
      ["out_of_order_hierarchy_explore_removing_spatials_for_more_temporals", "true", /dropping a spatial loop/],
      ["info_metrics", "2", /evaluated in full/],
      ["_metric_aggregator", "sum", /one exact join/]
    ])("%s: %s", async (knob, value, why) => {
      const file = join(dir, `${knob}.yaml`)
      writeFileSync(file, `mapper:\n  metrics: 2\n  ${knob}: ${value}\n`)
      const error = await mapFailure(mapping(await load([], [...FILES, file])))
      expect(error).toBeInstanceOf(EvaluationError)
      const e = error as EvaluationError
      expect(e.path).toEqual(["mapper", knob])
      expect({ file: e.file, line: e.line }).toEqual({ file, line: 3 })
      expect(e.reason).toMatch(new RegExp(`^${knob} = .* is not supported: `))
      expect(e.reason).toMatch(why)
      // The default value is accepted.
      const defaults: Record<string, string> = { info_metrics: "255", _metric_aggregator: "any" }
      writeFileSync(file, `mapper:\n  metrics: 2\n  ${knob}: ${defaults[knob] ?? "false"}\n`)
      expect((await mapSpec(await load([], [...FILES, file]))).counters).toHaveLength(2)
    }, 60_000)
  })
})

export type { LoopSlot }
