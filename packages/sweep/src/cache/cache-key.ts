/**
 * The content hash a cached pmapping table is filed under: everything the per-Einsum search
 * reads. That is the Einsum's canonical search signature (its resolved context, templates and
 * which tensors are shared, tensor names replaced by placeholders: the form the reuse of
 * isomorphic Einsums already compares, mapper/src/generate/isomorphic-einsums.ts), the mapper
 * knobs (all of `mapper`, less those only the join, the final pick or logging read), the
 * memories carried as columns, each Einsum's share of `resource_usage_tolerance`, the arch
 * nodes as written (the model evaluates latency and leak expressions from them per row), the
 * cache format, the tool's version with a digest of the search's sources (core, model, mapper),
 * and a namespace naming the search (an ablation that swaps the pruner uses its own).
 */
import { createHash } from "node:crypto"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import type { EinsumContext, LoadedSpec } from "@effect-accelforge/core"
import { searchSignature, type SearchSetup, type Template } from "@effect-accelforge/mapper"

/** Bump when the stored form of a table changes. */
export const CACHE_FORMAT = 1

export const TOOL_VERSION: string = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version

/** The packages whose code makes a table: a change to any of their sources makes new keys. */
const SEARCH_SOURCES = ["core", "model", "mapper"].map((p) => fileURLToPath(new URL(`../../../${p}/src`, import.meta.url)))

const sourceFiles = (folder: string): Array<string> =>
  readdirSync(folder, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(folder, e.name)) : e.name.endsWith(".ts") ? [join(folder, e.name)] : []
  ).sort()

let fingerprint: string | undefined

/**
 * The tool's version and a digest of the search's source files (read once per process, a few
 * ms): a version number alone does not change while the search is being worked on, and a table
 * made by other code must never be read.
 */
export const toolFingerprint = (): string => {
  if (fingerprint === undefined) {
    const hash = createHash("sha256").update(TOOL_VERSION)
    for (const folder of SEARCH_SOURCES) {
      for (const file of existsSync(folder) ? sourceFiles(folder) : []) hash.update(relative(folder, file)).update(readFileSync(file))
    }
    fingerprint = `${TOOL_VERSION} ${hash.digest("hex")}`
  }
  return fingerprint
}

/** Knobs read only by the join, the final pick, logging or the search budget: they do not change an Einsum's table. */
const JOIN_ONLY_KNOBS = new Set(["_skip_invalid", "_combine_reservations", "_runtime_log_file", "_reuse_isomorphic_einsums", "_bound_join", "time_limit", "memory_limit"])

class NotComparable extends Error {}

/** JSON with sorted keys, Maps and Sets as sorted entries; a function cannot be keyed. */
export const stableText = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === "function") throw new NotComparable()
    if (typeof v === "number" && !Number.isFinite(v)) return String(v)
    if (v instanceof Map) return { $map: [...v.entries()].map(([k, x]) => [stableText(k), x]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)) }
    if (v instanceof Set) return { $set: [...v].map((x) => stableText(x)).sort() }
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>)
    if (typeof v === "object" && v !== null && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
    }
    return v
  })

export interface KeyInput {
  readonly loaded: LoadedSpec
  readonly setup: SearchSetup
  readonly ctx: EinsumContext
  readonly templates: ReadonlyArray<Template>
  readonly namespace: string
}

/** The hex SHA-256 key of an Einsum's table, or undefined when its search cannot be keyed. */
export const cacheKey = ({ loaded, setup, ctx, templates, namespace }: KeyInput): string | undefined => {
  const signature = searchSignature(ctx, templates, setup.fusable)
  if (signature === undefined) return undefined
  try {
    const knobs = Object.fromEntries(Object.entries(setup.config).filter(([k]) => !JOIN_ONLY_KNOBS.has(k)))
    const hash = createHash("sha256")
    for (
      const part of [
        `format ${CACHE_FORMAT}`,
        `version ${toolFingerprint()}`,
        `namespace ${namespace}`,
        stableText(knobs),
        stableText(setup.tracked),
        stableText(setup.config.resource_usage_tolerance / Math.max(1, setup.contexts.length)),
        stableText(loaded.spec.arch.nodes),
        signature
      ]
    ) hash.update(part).update("\u0000")
    return hash.digest("hex")
  } catch (e) {
    if (e instanceof NotComparable) return undefined
    throw e
  }
}
