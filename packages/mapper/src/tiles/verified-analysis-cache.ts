/**
 * The outcome of a template's verification (verified-cost-terms.ts: its symbolic terms and
 * reservations checked against the model on sample rows) kept by content, so a template posed
 * again in the same process is not checked again: a program that searches one spec several
 * times (for each metric, with a tolerance, in another overlap mode; the join's brute-force
 * tests search each random case five times) rebuilds its contexts and templates each time,
 * equal in content but new objects.
 *
 * The key is everything the check reads: the model's `analyzeEinsum` of the template's
 * pmapping, symbolic and on the rows, reads the template's nodes, its Einsum's resolved context
 * (the Einsum, symbols, bits per value, components and compute paths, variables) and its
 * compute path; the check adds the tensors whose landing is deferred, the Einsum's bounds (the
 * rows are drawn from them) and whether terms are wanted. The context is written out in full
 * (isomorphic-einsums.ts's canonical form, names kept) once per context object, and stands in
 * the template's key by its SHA-256. A context that holds a function cannot be written, and its
 * templates are checked every time. Content that differs only in form (key order, say) misses
 * the cache; it never makes two different templates share an entry.
 *
 * Only the outcome is kept (two booleans under a key of about 1.3 KB), not the analysis: kept
 * analyses (some 17 KB each) held on to by 2,048 entries raised the brute-force test's peak
 * RSS by about 220 MB (600 to 820 MB), for about 0.9x its CPU.
 */
import { createHash } from "node:crypto"
import type { EinsumContext } from "@effect-accelforge/core"
import { canonicalForm } from "../generate/isomorphic-einsums.ts"
import type { Template } from "../template/template.ts"

/**
 * Entries kept (least recently used first out). The reuse comes within the searches of one
 * spec, and they pose its templates in turn: with fewer entries than one round of them each is
 * dropped before its reuse (the brute-force tests' random cases pose some 200 templates per
 * mode, up to 3 modes, their largest many more).
 */
const CAPACITY = 4096

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
export const memoVerdict = <A>(key: string | undefined, make: () => A): A => {
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
