/** The verified analyses' content key (tiles/verified-analysis-cache.ts): equal content, equal key; other content, another. */
import { resolve } from "node:path"
import { Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import { type LoadedSpec, loadSpec, resolveAll } from "@effect-accelforge/core"
import { einsumFacts, einsumTemplates, sharedTensors } from "../src/index.ts"
import { memoVerdict, verifiedAnalysisKey } from "../src/tiles/verified-analysis-cache.ts"
import type { Template } from "../src/template/template.ts"

const REPO = resolve(import.meta.dirname, "../../..")

const load = (width: number): Promise<LoadedSpec> =>
  Effect.runPromise(loadSpec({
    files: [resolve(REPO, "examples/arches/systolic_tpu_like.yaml"), resolve(REPO, "examples/workloads/matmul_chain.yaml")],
    variables: { LAYERS: 2, TOKENS: 64, WIDTH: width },
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
})
