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
 * const services = searchLayer({ pmappingGenerator: PmappingCache.layer("cache").pipe(Layer.provide(PmappingGenerator.layerWithoutDependencies)) })
 * ```
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Context, Effect, Layer } from "effect"
import { type EinsumContext, type LoadedSpec, makeDirectories } from "@effect-accelforge/core"
import { type PmappingTable, PmappingGenerator, renamedTable, type SearchSetup, type Template } from "@effect-accelforge/mapper"
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
        makeDirectories(join(directory, key.slice(0, 2)))
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
      generateOne: (loaded, setup, ctx) =>
        Effect.gen(function*() {
          const i = setup.contexts.indexOf(ctx)
          const key = i < 0 ? undefined : keyOf(loaded, setup, i)
          const found = key === undefined ? undefined : read(key, ctx, setup.templates[i]!)
          if (found !== undefined) return found
          const table = yield* inner.generateOne(loaded, setup, ctx)
          misses++
          if (key !== undefined) write(key, table, ctx)
          return table
        }),
      generate: (loaded, setup, options) =>
        Effect.gen(function*() {
          const names = options.einsums
          // An unknown name is the wrapped generator's error to give.
          if (names !== undefined && names.some((n) => !setup.contexts.some((c) => c.einsum.name === n))) return yield* inner.generate(loaded, setup, options)
          const wanted = setup.contexts.flatMap((ctx, i) => (names === undefined || names.includes(ctx.einsum.name) ? [i] : []))
          // Only the first Einsum of each search is read or searched; the others are renamed from it.
          const representatives = [...new Set(wanted.map((i) => setup.sameSearchAs[i]!))].sort((a, b) => a - b)
          const keys = new Map(representatives.map((i) => [i, keyOf(loaded, setup, i)] as const))
          const tables = new Map<number, PmappingTable>()
          for (const i of representatives) {
            const key = keys.get(i)
            const found = key === undefined ? undefined : read(key, setup.contexts[i]!, setup.templates[i]!)
            if (found !== undefined) tables.set(i, found)
          }
          const missing = representatives.filter((i) => !tables.has(i))
          for (const i of wanted) {
            if (missing.includes(i)) continue
            const n = setup.templates[i]!.length
            options.onProgress?.({ einsum: setup.contexts[i]!.einsum.name, done: n, total: n })
          }
          if (missing.length > 0) {
            const searched = yield* inner.generate(loaded, setup, { ...options, einsums: missing.map((i) => setup.contexts[i]!.einsum.name) })
            missing.forEach((i, k) => {
              tables.set(i, searched[k]!)
              misses++
              const key = keys.get(i)
              if (key !== undefined) write(key, searched[k]!, setup.contexts[i]!)
            })
          }
          return wanted.map((i) => {
            const first = setup.sameSearchAs[i]!
            const table = tables.get(first)!
            return first === i ? table : renamedTable(table, setup.contexts[first]!, setup.contexts[i]!, setup.templates[i]!)
          })
        })
    })

    const cache = PmappingCache.of({
      stats: Effect.sync(() => ({ directory, hits, misses, rejected: [...rejected], writeFailures: [...writeFailures] }))
    })
    return Context.make(PmappingGenerator, generator).pipe(Context.add(PmappingCache, cache))
  })
