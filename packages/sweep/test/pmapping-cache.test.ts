/**
 * The pmapping cache: a run with the cache finds the same optimum as one without; a second run
 * reads every table; an entry with a flipped byte, a truncated entry and an entry written for
 * other knobs are each rejected with the reason, recomputed and rewritten, and the optimum is
 * unchanged; with worker threads, the Einsums not on disk are searched on the workers while the
 * others are read. The codec rejects every flipped byte and every truncation it is shown.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { Mapper, type MapResult } from "@effect-accelforge/mapper"
import { cachedMapperLayer, type CacheStats, decodeTable, encodeTable, PmappingCache, type StoredTable } from "../src/index.ts"

const root = resolve(import.meta.dirname, "../../..")
const request = (overrides: ReadonlyArray<string>, layers: number) => ({
  files: [join(root, "examples/arches/two_level.yaml"), join(root, "examples/workloads/matmul_chain.yaml")],
  variables: { LAYERS: layers, TOKENS: 32, WIDTH: 16 },
  overrides
})

const mapWith = <E>(layer: Layer.Layer<Mapper, E>, jobs = 1, overrides: ReadonlyArray<string> = [], layers = 2) =>
  Effect.runPromise(Effect.gen(function*() {
    const result = yield* (yield* Mapper).mapFiles(request(overrides, layers), { jobs })
    const cache = yield* Effect.serviceOption(PmappingCache)
    const stats = cache._tag === "Some" ? yield* cache.value.stats : undefined
    return { result, stats }
  }).pipe(Effect.provide(layer)))

const cached = (dir: string, jobs = 1, overrides: ReadonlyArray<string> = [], layers = 2) =>
  mapWith(cachedMapperLayer(dir), jobs, overrides, layers) as Promise<{ result: MapResult; stats: CacheStats }>

/** Every entry of a cache folder. */
const entries = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((sub) => readdirSync(join(dir, sub)).map((f) => join(dir, sub, f))).filter((f) => f.endsWith(".pmt")).sort()

const sameOptimum = (a: MapResult, b: MapResult) => {
  expect(a.evaluation.energy).toBe(b.evaluation.energy)
  expect(a.evaluation.latency).toBe(b.evaluation.latency)
  expect(JSON.stringify(a.source.mapping)).toBe(JSON.stringify(b.source.mapping))
}

describe("pmapping cache", () => {
  it("reads what it wrote, rejects flipped, truncated and foreign entries, recomputes them, and the optimum never changes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "accelforge-cache-"))
    const { result: reference } = await mapWith(Mapper.layer)

    const first = await cached(dir)
    sameOptimum(first.result, reference)
    expect(first.stats).toMatchObject({ hits: 0, misses: 2, rejected: [] })
    const [a, b] = entries(dir)
    expect(entries(dir)).toHaveLength(2)

    const second = await cached(dir)
    sameOptimum(second.result, reference)
    expect(second.stats).toMatchObject({ hits: 2, misses: 0, rejected: [] })
    // Nothing was looked at: the tables came from disk.
    expect(second.result.counters.map((c) => c.evaluated)).toEqual([0, 0])

    // A flipped byte in one entry, the other cut short.
    const bytes = readFileSync(a!)
    bytes[Math.floor(bytes.length / 2)]! ^= 0x10
    writeFileSync(a!, bytes)
    truncateSync(b!, statSync(b!).size - 100)
    const damaged = await cached(dir)
    sameOptimum(damaged.result, reference)
    expect(damaged.stats.hits).toBe(0)
    expect(damaged.stats.misses).toBe(2)
    expect(damaged.stats.rejected.map((r) => r.file).sort()).toEqual([a, b])
    for (const r of damaged.stats.rejected) expect(r.reason).toMatch(/checksum mismatch/)
    expect((await cached(dir)).stats).toMatchObject({ hits: 2, misses: 0 })

    // Entries written for other knobs, put where this search's entries belong.
    const other = mkdtempSync(join(tmpdir(), "accelforge-cache-other-"))
    const knobs = await cached(other, 1, ["mapper.max_fused_loops=1"])
    expect(knobs.stats.misses).toBe(2)
    for (const [i, foreign] of entries(other).entries()) copyFileSync(foreign, [a, b][i]!)
    const foreign = await cached(dir)
    sameOptimum(foreign.result, reference)
    expect(foreign.stats.misses).toBe(2)
    expect(foreign.stats.rejected).toHaveLength(2)
    for (const r of foreign.stats.rejected) expect(r.reason).toMatch(/written for another key/)

    rmSync(dir, { recursive: true })
    rmSync(other, { recursive: true })
  }, 120_000)

  it("on worker threads, the Einsums whose entries are gone are searched there and the others read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "accelforge-cache-threads-"))
    const { result: reference } = await mapWith(Mapper.layer, 1, [], 3)
    expect((await cached(dir, 1, [], 3)).stats).toMatchObject({ hits: 0, misses: 3 })
    const [a, b] = entries(dir)
    rmSync(a!)
    rmSync(b!)
    const threads = await cached(dir, 2, [], 3)
    sameOptimum(threads.result, reference)
    expect(threads.stats).toMatchObject({ hits: 1, misses: 2, rejected: [] })
    expect(threads.result.counters.filter((c) => c.evaluated > 0)).toHaveLength(2)
    rmSync(dir, { recursive: true })
  }, 120_000)

  it("the codec round-trips a table and rejects every flipped byte and truncation it is shown", async () => {
    const { result } = await mapWith(Mapper.layer)
    const { templates: _templates, ...table } = result.tables[0]!
    const encoded = encodeTable(table, "key-1")
    const decoded = decodeTable(encoded, "key-1")
    expect(decoded.ok).toBe(true)
    const back = (decoded as { table: StoredTable }).table
    expect(back.groups.map((g) => [g.key, g.rows, Array.from(g.tiles), g.columns.map((c) => Array.from(c))])).toEqual(
      table.groups.map((g) => [g.key, g.rows, Array.from(g.tiles), g.columns.map((c) => Array.from(c))])
    )
    expect(back.counters).toEqual(table.counters)
    expect(decodeTable(encoded, "key-2")).toMatchObject({ ok: false, reason: expect.stringMatching(/another key/) })
    const step = Math.max(1, Math.floor(encoded.length / 200))
    for (let at = 0; at < encoded.length; at += step) {
      const flipped = Buffer.from(encoded)
      flipped[at]! ^= 0x01
      expect(decodeTable(flipped, "key-1").ok).toBe(false)
      expect(decodeTable(encoded.subarray(0, at), "key-1").ok).toBe(false)
    }
  }, 60_000)
})
