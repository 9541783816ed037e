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
 * (isomorphic-einsums.ts's canonical form, names kept) at most once per context object, and
 * stands in the template's key by a number given to each distinct written form (no digest:
 * hashing cost a one-search process more than the form's walk, and equal numbers mean equal
 * forms). A context that holds a function cannot be written, and its templates are checked
 * every time. Content that differs only in form (key order, say) misses the cache; it never
 * makes two different templates share an entry.
 *
 * The key, and the context's form in it, are written only for a template posed again
 * (`memoVerdict`): one search never needs them. Until its form is written, a context is held
 * by the cache (see `UNWRITTEN`), so a template posed later can still be compared with it.
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
 * Past it the least recently written or met form is let go: entries under its number only miss.
 * (Clearing them all at once, as before, also let go of a form written a moment earlier, so a
 * spec posed again right after the 64th form missed every verdict.)
 */
const FORMS = 64

/**
 * A context as the cache knows it: the number of its written form once written (undefined when
 * it cannot be written), and until then the context itself, to write it from when needed.
 */
interface ContextSlot {
  context: EinsumContext | undefined
  id: number | undefined
}

/**
 * Contexts held unwritten at once, at most: past it the oldest is written (and let go), as every
 * context was before forms were written on demand. Bounded, because a held context holds its
 * spec: a process that poses more contexts than this (a long chain, the brute-force tests' many
 * random specs) holds no more than these after its searches.
 */
const UNWRITTEN = 64

/** Each context's slot. */
const slots = new WeakMap<EinsumContext, ContextSlot>()

/** Slots whose context is held unwritten, oldest first. */
const unwritten = new Set<ContextSlot>()

/** Each written form's number; numbers are never given twice, so one number is one form. */
const formIds = new Map<string, number>()
let nextFormId = 0
let formsWritten = 0

/** How many context forms this process has written (for tests: a process that poses each template once writes none). */
export const contextFormsWritten = (): number => formsWritten

/** How many contexts the cache holds unwritten (for tests: at most `UNWRITTEN`). */
export const contextsHeldUnwritten = (): number => unwritten.size

const slotOf = (ctx: EinsumContext): ContextSlot => {
  let slot = slots.get(ctx)
  if (slot === undefined) {
    slots.set(ctx, slot = { context: ctx, id: undefined })
    unwritten.add(slot)
    if (unwritten.size > UNWRITTEN) idOf(unwritten.values().next().value!)
  }
  return slot
}

/** The number of the slot's context's written form (written now if it was not), or undefined when it cannot be written. */
const idOf = (slot: ContextSlot): number | undefined => {
  const ctx = slot.context
  if (ctx === undefined) return slot.id
  formsWritten++
  const form = canonicalForm(ctx)
  let id = form === undefined ? undefined : formIds.get(form)
  if (form !== undefined) {
    if (id === undefined) {
      if (formIds.size >= FORMS) formIds.delete(formIds.keys().next().value!)
      id = nextFormId++
    } else formIds.delete(form)
    // Most recently met last.
    formIds.set(form, id)
  }
  slot.id = id
  slot.context = undefined
  unwritten.delete(slot)
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

/** What of a template the key writes: the parts the check reads, but the context and compute path (they stand in by their numbers). */
interface KeyParts {
  readonly context: ContextSlot
  readonly path: number
  readonly template: Template
  readonly deferrable: ReadonlySet<string>
  readonly bounds: ReadonlyMap<string, number>
  readonly withTerms: boolean
}

const keyParts = (template: Template, deferrable: ReadonlySet<string>, bounds: ReadonlyMap<string, number>, withTerms: boolean): KeyParts | undefined => {
  const path = template.context.computePaths.indexOf(template.arch)
  return path < 0 ? undefined : { context: slotOf(template.context), path, template, deferrable, bounds, withTerms }
}

/** The key, or undefined when the context cannot be written. */
const keyText = ({ bounds, context, deferrable, path, template, withTerms }: KeyParts): string | undefined => {
  const id = idOf(context)
  if (id === undefined) return undefined
  // The rest of a template is plain data (strings, numbers, booleans, arrays and records of them): JSON writes it whole.
  const { context: _context, arch: _arch, ...rest } = template
  return `${id}|${path}|${withTerms}|${plainText([...deferrable].sort())}|${plainText([...bounds])}|${plainText(rest)}`
}

/** The content key of a template's verified analysis, or undefined when it cannot be keyed. */
export const verifiedAnalysisKey = (
  template: Template,
  deferrable: ReadonlySet<string>,
  bounds: ReadonlyMap<string, number>,
  withTerms: boolean
): string | undefined => {
  const parts = keyParts(template, deferrable, bounds, withTerms)
  return parts === undefined ? undefined : keyText(parts)
}

/**
 * A verdict kept with its key, written when first compared: the key of a whole template is
 * some 2.4 KB of text (eyeriss gpt3_6.7B prefill: about 30 ms for its 337 templates, a tenth of
 * the checks), and a process that searches a spec once never needs one (see `memoVerdict`).
 * Until written, the parts (not the template: it holds its context) are kept to write it; once
 * written, `key` undefined means its context could not be written (it matches nothing).
 */
interface Entry {
  key: string | undefined
  parts: Omit<KeyParts, "template"> & { readonly template: Omit<Template, "context" | "arch"> & Pick<Template, "arch"> } | undefined
  readonly verdict: unknown
}

/**
 * Entries by a short prefix of their key, written without the context's form: the compute
 * path's number, whether terms are wanted, the template's Einsum and position in generation
 * order, and the Einsum's bounds. Templates posed once (one search) have prefixes of their own;
 * a template posed again (another search, another overlap mode) meets the entries under its
 * prefix, and only then are the keys (and the contexts' forms) written and compared.
 */
const entries = new Map<string, Array<Entry>>()
let entryCount = 0

/** Entries under one prefix, at most (content under one prefix differs in context or deferred outputs: a few per spec). */
const PER_PREFIX = 8

const prefixOf = ({ bounds, path, template, withTerms }: KeyParts): string =>
  `${path}|${withTerms}|${template.einsum}|${template.index}|${plainText([...bounds])}`

const keyOf = (entry: Entry): string | undefined => {
  if (entry.parts !== undefined) {
    entry.key = keyText(entry.parts as KeyParts)
    entry.parts = undefined
  }
  return entry.key
}

/** An entry for the verdict, holding what its key is written from (the template without its context). */
const entryOf = (parts: KeyParts, verdict: unknown): Entry => {
  const { context: _context, ...template } = parts.template
  return { key: undefined, parts: { ...parts, template }, verdict }
}

/** Keep an entry under its prefix (most recently used prefix last; the least recently used out past `CAPACITY` entries). */
const keep = (prefix: string, bucket: Array<Entry>, entry: Entry): void => {
  if (bucket.length >= PER_PREFIX) {
    bucket.shift()
    entryCount--
  }
  bucket.push(entry)
  entryCount++
  entries.set(prefix, bucket)
  while (entryCount > CAPACITY) {
    const [oldest, dropped] = entries.entries().next().value!
    entries.delete(oldest)
    entryCount -= dropped.length
  }
}

/**
 * The template's verdict: `make()`, or an earlier one for the same content (`verifiedAnalysisKey`;
 * none when the template cannot be keyed). Keys are written only for templates whose prefix
 * (`entries`) was met before, and only then is a context's form written.
 */
export const memoVerdict = <A>(
  template: Template,
  deferrable: ReadonlySet<string>,
  bounds: ReadonlyMap<string, number>,
  withTerms: boolean,
  make: () => A
): A => {
  const parts = keyParts(template, deferrable, bounds, withTerms)
  if (parts === undefined) return make()
  const prefix = prefixOf(parts)
  const bucket = entries.get(prefix)
  if (bucket === undefined) {
    const verdict = make()
    keep(prefix, [], entryOf(parts, verdict))
    return verdict
  }
  const key = keyText(parts)
  if (key === undefined) return make()
  // Most recently used last.
  entries.delete(prefix)
  entries.set(prefix, bucket)
  const hit = bucket.find((e) => keyOf(e) === key)
  if (hit !== undefined) return hit.verdict as A
  const verdict = make()
  keep(prefix, bucket, { key, parts: undefined, verdict })
  return verdict
}

/**
 * Forget every verdict, context and form: the cache's tests count what it writes, and the test
 * runner shares one module graph between files, so each test starts from an empty cache.
 */
export const clearVerifiedAnalyses = (): void => {
  unwritten.clear()
  formIds.clear()
  entries.clear()
  entryCount = 0
  formsWritten = 0
  // Numbers are not given again: a slot written before keeps its number, which now matches no new form.
}
