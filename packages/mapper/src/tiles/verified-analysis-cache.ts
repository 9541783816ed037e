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
 * the template's key by a number given to each distinct written form (no digest: hashing cost
 * a one-search process more than the form's walk, and equal numbers mean equal forms). A
 * context that holds a function cannot be written, and its templates are checked every time.
 * Content that differs only in form (key order, say) misses the cache; it never makes two
 * different templates share an entry.
 *
 * Only the outcome is kept (two booleans under a key of about 1.3 KB), not the analysis: kept
 * analyses (some 17 KB each) held on to by 2,048 entries raised the brute-force test's peak
 * RSS by about 220 MB (600 to 820 MB), for about 0.9x its CPU.
 */
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

/**
 * Written contexts numbered at once, at most (a form is the whole context, some tens of KB).
 * Past it the numbering starts over with new numbers: the entries under the old ones only miss.
 */
const FORMS = 64

/** Each context's number (undefined: it cannot be written). */
const contextIds = new WeakMap<EinsumContext, number | undefined>()

/** Each written form's number; numbers are never given twice, so one number is one form. */
const formIds = new Map<string, number>()
let nextFormId = 0

/** The number of the context's written form. */
const contextId = (ctx: EinsumContext): number | undefined => {
  if (contextIds.has(ctx)) return contextIds.get(ctx)
  const form = canonicalForm(ctx)
  let id = form === undefined ? undefined : formIds.get(form)
  if (form !== undefined && id === undefined) {
    if (formIds.size >= FORMS) formIds.clear()
    formIds.set(form, id = nextFormId++)
  }
  contextIds.set(ctx, id)
  return id
}

/**
 * JSON that keeps non-finite numbers apart (JSON writes each as null). Plain JSON first: a
 * text without "null" had no non-finite number to write, so it is what the replacer would write.
 */
const plainText = (value: unknown): string => {
  const plain = JSON.stringify(value)
  return !plain.includes("null") ? plain : JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? `${v}` : v))
}

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
