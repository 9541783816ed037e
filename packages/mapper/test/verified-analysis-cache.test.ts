/** The verified analyses' content key (tiles/verified-analysis-cache.ts): equal content, equal key; other content, another. */
import { resolve } from "node:path"
import { Effect, Result } from "effect"
import { beforeEach, describe, expect, it } from "vitest"
import { type LoadedSpec, loadSpec, resolveAll } from "@effect-accelforge/core"
import { einsumFacts, einsumTemplates, sharedTensors } from "../src/index.ts"
import { clearVerifiedAnalyses, contextFormsWritten, contextsHeldUnwritten, memoVerdict, verifiedAnalysisKey } from "../src/tiles/verified-analysis-cache.ts"
import type { Template } from "../src/template/template.ts"

const REPO = resolve(import.meta.dirname, "../../..")

const load = (width: number, variables: Record<string, unknown> = {}): Promise<LoadedSpec> =>
  Effect.runPromise(loadSpec({
    files: [resolve(REPO, "examples/arches/systolic_tpu_like.yaml"), resolve(REPO, "examples/workloads/matmul_chain.yaml")],
    variables: { LAYERS: 2, TOKENS: 64, WIDTH: width, ...variables },
    overrides: []
  }))

/** Every template with its Einsum's bounds, contexts and templates made anew (as each search makes them). */
const templates = (loaded: LoadedSpec): Array<{ readonly template: Template; readonly bounds: ReadonlyMap<string, number> }> => {
  const contexts = resolveAll(loaded)
  if (Result.isFailure(contexts)) throw contexts.failure
  const fusable = sharedTensors(loaded.workload.einsums)
  return contexts.success.flatMap((ctx) => einsumTemplates(ctx, einsumFacts(ctx, fusable), loaded.spec.mapper).map((template) => ({ template, bounds: ctx.einsum.bounds })))
}

/** Every template's key. */
const keys = (loaded: LoadedSpec, deferrable: ReadonlySet<string> = new Set(), withTerms = true): Array<string | undefined> =>
  templates(loaded).map(({ bounds, template }) => verifiedAnalysisKey(template, deferrable, bounds, withTerms))

/** How many verdicts `memoVerdict` makes for the templates (each one's verdict: its position in the list). */
const verdictsMade = (posed: ReturnType<typeof templates>, withTerms: boolean): { made: number; verdicts: Array<number> } => {
  let made = 0
  const verdicts = posed.map(({ bounds, template }, i) => memoVerdict(template, new Set(), bounds, withTerms, () => (made++, i)))
  return { made, verdicts }
}

describe("the verified analyses' content key", () => {
  // The runner shares one module graph between files (vitest.config.ts, isolate: false): searches in
  // earlier files leave contexts and forms in the cache, and these tests count what it writes.
  beforeEach(() => clearVerifiedAnalyses())

  it("is the same for the same spec resolved again, distinct per template, and changes with what the analysis reads", async () => {
    const loaded = await load(128)
    const first = keys(loaded)
    expect(first.every((k) => k !== undefined)).toBe(true)
    expect(new Set(first).size).toBe(first.length)
    expect(keys(loaded)).toEqual(first)
    const again = new Set(first)
    // Another bound (the Einsums' contexts differ), deferred outputs, or no terms: no key is shared.
    for (const other of [keys(await load(256)), keys(loaded, new Set(["X1"])), keys(loaded, new Set(), false)]) {
      expect(other.filter((k) => again.has(k!))).toEqual([])
    }
  })

  it("makes a template's verdict once per content, whose key is written only when posed again", async () => {
    // WIDTH 96 is met here only: every context form is new.
    const loaded = await load(96)
    const first = templates(loaded)
    const once = verdictsMade(first, false)
    expect(once.made).toBe(first.length)
    // The same spec again (another search), and the first templates again: the first verdicts, none made.
    expect(verdictsMade(templates(loaded), false)).toEqual({ made: 0, verdicts: once.verdicts })
    expect(verdictsMade(first, false)).toEqual({ made: 0, verdicts: once.verdicts })
    // Other content (terms wanted, another deferred output): made anew, once.
    expect(verdictsMade(first, true).made).toBe(first.length)
    expect(verdictsMade(first, true).made).toBe(0)
    const deferred = first.map(({ bounds, template }) => memoVerdict(template, new Set(["X1"]), bounds, false, () => -1))
    expect(deferred.every((v) => v === -1)).toBe(true)
  })

  it("writes no context's form for templates posed once, and writes them to compare a template posed again", async () => {
    // WIDTH 80 is met here only: its templates' prefixes are new.
    const loaded = await load(80)
    const first = templates(loaded)
    const written = contextFormsWritten()
    expect(verdictsMade(first, false).made).toBe(first.length)
    expect(contextFormsWritten()).toBe(written)
    // Posed again (the same spec resolved anew): the forms of both searches' contexts are written, and the verdicts shared.
    expect(verdictsMade(templates(loaded), false).made).toBe(0)
    expect(contextFormsWritten()).toBeGreaterThan(written)
  })

  it("never shares a verdict between contexts that differ only where the entries' prefix does not look", async () => {
    // Another shared buffer size: the same Einsums, bounds and templates (the same prefixes), another context.
    const small = templates(await load(112, { SHARED_BUFFER_KB: 1024 }))
    const large = templates(await load(112))
    expect(small.length).toBe(large.length)
    expect(verdictsMade(small, false).made).toBe(small.length)
    const other = verdictsMade(large, false)
    expect(other.made).toBe(large.length)
    // Each its own verdicts from then on.
    expect(verdictsMade(templates(await load(112, { SHARED_BUFFER_KB: 1024 })), false).made).toBe(0)
    expect(verdictsMade(templates(await load(112)), false).made).toBe(0)
  })

  it("keeps the forms met most recently: a spec posed again and again is found past the forms' bound", async () => {
    // 64 forms are numbered at once. 35 other specs write 70 forms; the spec met every 5 of them keeps its own.
    const posed = async () => verdictsMade(templates(await load(104)), false).made
    const first = await posed()
    expect(first).toBeGreaterThan(0)
    for (let k = 0; k < 35; k++) {
      keys(await load(2000 + 8 * k))
      if (k % 5 === 4) expect(await posed()).toBe(0)
    }
    expect(await posed()).toBe(0)
  })

  it("holds a bounded number of contexts unwritten: past it the oldest are written, and still compared", async () => {
    // WIDTH 72 is met here only. Each load makes new contexts (two, one per Einsum), posed here
    // with bounds of their own (a prefix each, so nothing collides): 40 loads pose 80.
    const firstOfEach = async (k: number) => {
      const posed = templates(await load(72)).filter((p, i, all) => i === 0 || p.template.einsum !== all[i - 1]!.template.einsum)
      return posed.map(({ bounds, template }) => ({ template, bounds: new Map([...bounds, ["k", k]]) }))
    }
    const written = contextFormsWritten()
    const held = contextsHeldUnwritten()
    let made = 0
    for (let k = 0; k < 40; k++) made += verdictsMade(await firstOfEach(k), false).made
    expect(made).toBe(80)
    // 64 held: the oldest written, those held before first.
    expect(contextsHeldUnwritten()).toBe(64)
    expect(contextFormsWritten() - written).toBe(held + 80 - 64)
    // The oldest posed again: their verdicts found (against the forms written when they were let go).
    expect(verdictsMade(await firstOfEach(0), false).made).toBe(0)
  })
})
