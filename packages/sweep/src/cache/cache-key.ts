/**
 * The content hash a cached pmapping table is filed under: everything the per-Einsum search
 * reads. That is the Einsum's canonical search signature (its resolved context, templates and
 * which tensors are shared, tensor names replaced by placeholders: the form the reuse of
 * isomorphic Einsums already compares, mapper/src/generate/isomorphic-einsums.ts), the mapper
 * knobs (all of `mapper`, less those only the join, the final pick or logging read), the
 * memories carried as columns, each Einsum's share of `resource_usage_tolerance`, the arch
 * nodes as written (the model evaluates latency and leak expressions from them per row), the
 * cache format and the tool's version, and a namespace naming the search (an ablation that
 * swaps the pruner uses its own).
 */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import type { EinsumContext, LoadedSpec } from "@effect-accelforge/core"
import { searchSignature, type SearchSetup, type Template } from "@effect-accelforge/mapper"

/** Bump when the stored form of a table changes. */
export const CACHE_FORMAT = 1

export const TOOL_VERSION: string = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version

/** Knobs read only by the join, the final pick, logging or the search budget: they do not change an Einsum's table. */
const JOIN_ONLY_KNOBS = new Set(["_skip_invalid", "_combine_reservations", "_runtime_log_file", "_reuse_isomorphic_einsums", "time_limit", "memory_limit"])

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
        `version ${TOOL_VERSION}`,
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
