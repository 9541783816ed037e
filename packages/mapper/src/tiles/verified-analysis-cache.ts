/**
 * Verified analyses (verified-cost-terms.ts) kept by content, so a template posed again in the
 * same process is not analysed and checked again: a program that searches one spec several
 * times (for each metric, with a tolerance, in another overlap mode; the join's brute-force
 * tests search each random case five times) rebuilds its contexts and templates each time,
 * equal in content but new objects.
 *
 * The key is everything the analysis reads: the analysis is the model's `analyzeEinsum` of the
 * template's pmapping, which reads the template's nodes, its Einsum's resolved context (the
 * Einsum, symbols, bits per value, components and compute paths, variables) and its compute
 * path; the check adds the tensors whose landing is deferred, the Einsum's bounds and whether
 * terms are wanted. The context is written out in full (isomorphic-einsums.ts's canonical form,
 * names kept) once per context object, and stands in the template's key by its SHA-256. A context
 * that holds a function cannot be written, and its templates are analysed every time. Content
 * that differs only in form (key order, say) misses the cache; it never makes two different
 * analyses share an entry.
 *
 * Bounded (least recently used first out): the reuse this is for comes within one program's
 * searches of one spec, a sweep's worker sees many specs.
 */
import { createHash } from "node:crypto"
import type { EinsumContext } from "@effect-accelforge/core"
import { canonicalForm } from "../generate/isomorphic-einsums.ts"
import type { Template } from "../template/template.ts"

/**
 * Entries kept. The reuse comes within a few searches of one spec (the brute-force tests' five
 * searches of one case pose some 300 templates). An entry holds the template's polynomials: with
 * 1,024 entries that test's peak RSS was some 90 MB higher, once measured.
 */
const CAPACITY = 512

/** Each context's digest (undefined: it cannot be written). */
const contextIds = new WeakMap<EinsumContext, string | undefined>()

/** The SHA-256 of the context's written form (the form itself is long: the whole context). */
const contextId = (ctx: EinsumContext): string | undefined => {
  if (contextIds.has(ctx)) return contextIds.get(ctx)
  const form = canonicalForm(ctx)
  const id = form === undefined ? undefined : createHash("sha256").update(form).digest("base64")
  contextIds.set(ctx, id)
  return id
}

/** JSON that keeps non-finite numbers apart (JSON writes each as null). */
const plainText = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? `${v}` : v))

/** The content key of a template's verified analysis, or undefined when it cannot be keyed. */
export const verifiedAnalysisKey = (
  template: Template,
  deferrable: ReadonlySet<string>,
  bounds: ReadonlyMap<string, number>,
  withTerms: boolean
): string | undefined => {
  const context = contextId(template.context)
  const path = template.context.computePaths.indexOf(template.arch)
  if (context === undefined || path < 0) return undefined
  // The rest of a template is plain data (strings, numbers, booleans, arrays and records of them): JSON writes it whole.
  const { context: _context, arch: _arch, ...rest } = template
  return `${context}|${path}|${withTerms}|${plainText([...deferrable].sort())}|${plainText([...bounds])}|${plainText(rest)}`
}

const entries = new Map<string, unknown>()

/** `make()`, or its earlier result under the same key (undefined key: always made). */
export const memoVerified = <A>(key: string | undefined, make: () => A): A => {
  if (key === undefined) return make()
  const hit = entries.get(key)
  if (hit !== undefined) {
    // Most recently used last.
    entries.delete(key)
    entries.set(key, hit)
    return hit as A
  }
  const made = make()
  if (entries.size >= CAPACITY) entries.delete(entries.keys().next().value!)
  entries.set(key, made)
  return made
}
