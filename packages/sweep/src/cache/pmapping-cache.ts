/**
 * The pmapping cache (AccelForge's `make_pmappings(spec, cache_dir=...)`): per-Einsum tables
 * on disk, filed under a content hash of everything the per-Einsum search reads (cache-key.ts),
 * checksummed (table-codec.ts). It is a PmappingGenerator Layer that wraps the one it is given:
 * Einsums whose table is on disk are read, the others are searched by the wrapped generator
 * (on its worker threads) and written. A corrupt or foreign entry is reported and recomputed.
 *
 * Tables are stored in canonical tensor names (`⟨tensor 000⟩`, ... in sorted order) and renamed
 * on load with the mapper's own renaming (`renamedTable`), so Einsums that pose the same search
 * up to tensor names share one entry, within a run, across the points of a sweep and across runs.
 *
 * ```ts
 * const mapper = Mapper.layerWithoutDependencies.pipe(
 *   Layer.provide(Layer.mergeAll(PmappingCache.layer("cache").pipe(Layer.provide(PmappingGenerator.layerWithoutDependencies)), Joiner.layerWithoutDependencies)),
 *   Layer.provide(ParetoPruner.layer))
 * ```
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Context, Effect, Layer } from "effect"
import type { EinsumContext, LoadedSpec } from "@effect-accelforge/core"
import { allTables, type PmappingTable, PmappingGenerator, renamedTable, type SearchSetup, type Template } from "@effect-accelforge/mapper"
import { cacheKey } from "./cache-key.ts"
import { decodeTable, encodeTable, type StoredTable } from "./table-codec.ts"

export interface CacheStats {
  readonly directory: string
  /** Tables read from the cache. */
  readonly hits: number
  /** Tables searched (absent, rejected or not keyable) and written. */
  readonly misses: number
  /** Entries found but not trusted, with the reason; each was recomputed and overwritten. */
  readonly rejected: ReadonlyArray<{ readonly file: string; readonly reason: string }>
  /** Entries that could not be written (the search result was still used). */
  readonly writeFailures: ReadonlyArray<{ readonly file: string; readonly reason: string }>
}

export interface CacheOptions {
  /** Names the search whose tables these are (default "ffm"); an ablation gets its own. */
  readonly namespace?: string
}

export class PmappingCache extends Context.Service<PmappingCache, {
  readonly stats: Effect.Effect<CacheStats>
}>()("effect-accelforge/sweep/PmappingCache") {
  /** A PmappingGenerator that reads and fills `directory`, around the PmappingGenerator provided to it. */
  static readonly layer = (directory: string, options: CacheOptions = {}): Layer.Layer<PmappingGenerator | PmappingCache, never, PmappingGenerator> =>
    Layer.effectContext(makeCache(directory, options.namespace ?? "ffm"))
}

/** The canonical stand-in of an Einsum with `n` tensors: what renamedTable needs of a context. */
const canonicalContext = (n: number): EinsumContext =>
  ({ einsum: { name: "⟨einsum⟩", accesses: Array.from({ length: n }, (_, i) => ({ tensor: `⟨tensor ${String(i).padStart(3, "0")}⟩` })) } }) as unknown as EinsumContext

const tensorCount = (ctx: EinsumContext): number => new Set(ctx.einsum.accesses.map((a) => a.tensor)).size

const toCanonical = (table: PmappingTable, ctx: EinsumContext): StoredTable => {
  const { templates: _templates, ...renamed } = renamedTable(table, ctx, canonicalContext(tensorCount(ctx)), [])
  // renamedTable marks a table as reused; the stored counters are the search's own.
  return { ...renamed, counters: { ...table.counters, einsum: "⟨einsum⟩" } }
}

const fromCanonical = (stored: StoredTable, ctx: EinsumContext, templates: ReadonlyArray<Template>): PmappingTable => {
  const table = renamedTable({ ...stored, templates: [] }, canonicalContext(tensorCount(ctx)), ctx, templates)
  const { reusedFrom: _reusedFrom, ...counters } = stored.counters
  // Nothing was looked at in this run: the table came from disk.
  return { ...table, counters: { ...counters, einsum: ctx.einsum.name, evaluated: 0 } }
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e))

const makeCache = (directory: string, namespace: string) =>
  Effect.gen(function*() {
    const inner = yield* PmappingGenerator
    let hits = 0
    let misses = 0
    const rejected: Array<{ file: string; reason: string }> = []
    const writeFailures: Array<{ file: string; reason: string }> = []
    const fileOf = (key: string) => join(directory, key.slice(0, 2), `${key}.pmt`)

    const read = (key: string, ctx: EinsumContext, templates: ReadonlyArray<Template>): PmappingTable | undefined => {
      const file = fileOf(key)
      let bytes: Buffer
      try {
        bytes = readFileSync(file)
      } catch {
        return undefined
      }
      const decoded = decodeTable(bytes, key)
      if (!decoded.ok) return void rejected.push({ file, reason: decoded.reason })
      hits++
      return fromCanonical(decoded.table, ctx, templates)
    }

    // Written to a temporary file and renamed, so a reader (another process of the sweep) never sees half a file.
    const write = (key: string, table: PmappingTable, ctx: EinsumContext): void => {
      const file = fileOf(key)
      try {
        mkdirSync(join(directory, key.slice(0, 2)), { recursive: true })
        const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
        writeFileSync(temporary, encodeTable(toCanonical(table, ctx), key))
        renameSync(temporary, file)
      } catch (e) {
        writeFailures.push({ file, reason: message(e) })
      }
    }

    const keyOf = (loaded: LoadedSpec, setup: SearchSetup, i: number) =>
      cacheKey({ loaded, setup, ctx: setup.contexts[i]!, templates: setup.templates[i]!, namespace })

    const generator = PmappingGenerator.of({
      generate: (loaded, setup, ctx) =>
        Effect.gen(function*() {
          const i = setup.contexts.indexOf(ctx)
          const key = i < 0 ? undefined : keyOf(loaded, setup, i)
          const found = key === undefined ? undefined : read(key, ctx, setup.templates[i]!)
          if (found !== undefined) return found
          const table = yield* inner.generate(loaded, setup, ctx)
          misses++
          if (key !== undefined) write(key, table, ctx)
          return table
        }),
      generateAll: (request, loaded, setup, options) =>
        Effect.gen(function*() {
          const representatives = setup.contexts.flatMap((_, i) => (setup.sameSearchAs[i] === i ? [i] : []))
          const keys = new Map(representatives.map((i) => [i, keyOf(loaded, setup, i)] as const))
          const cached = new Map<number, PmappingTable>()
          for (const i of representatives) {
            const key = keys.get(i)
            const found = key === undefined ? undefined : read(key, setup.contexts[i]!, setup.templates[i]!)
            if (found !== undefined) cached.set(i, found)
          }
          const missing = representatives.filter((i) => !cached.has(i))
          const searched = new Map<number, PmappingTable>()
          if (missing.length > 0) {
            const tables = yield* inner.generateAll(request, loaded, searchingOnly(setup, missing), options)
            for (const i of missing) {
              searched.set(i, tables[i]!)
              misses++
              const key = keys.get(i)
              if (key !== undefined) write(key, tables[i]!, setup.contexts[i]!)
            }
          } else {
            setup.contexts.forEach((ctx, i) => {
              const n = setup.templates[i]!.length
              options.onProgress?.({ einsum: ctx.einsum.name, done: n, total: n })
            })
          }
          return allTables(setup.contexts, setup.templates, setup.sameSearchAs, (i) => cached.get(i) ?? searched.get(i)!)
        })
    })

    const cache = PmappingCache.of({
      stats: Effect.sync(() => ({ directory, hits, misses, rejected: [...rejected], writeFailures: [...writeFailures] }))
    })
    return Context.make(PmappingGenerator, generator).pipe(Context.add(PmappingCache, cache))
  })

/**
 * The setup with only `missing` left to search. The wrapped generator searches the Einsums
 * that are their own representative (`sameSearchAs[i] === i`) and reports the others done;
 * every other Einsum is pointed at the first missing one, and the tables it gets for them are
 * dropped. Contexts, templates and tracked memories stay whole, so each search reads exactly
 * what it would in the full setup (and worker threads, which reload the spec, agree).
 */
const searchingOnly = (setup: SearchSetup, missing: ReadonlyArray<number>): SearchSetup => {
  const searched = new Set(missing)
  return { ...setup, sameSearchAs: setup.contexts.map((_, i) => (searched.has(i) ? i : missing[0]!)) }
}
