/** The verified analyses' content key (tiles/verified-analysis-cache.ts): equal content, equal key; other content, another. */
import { resolve } from "node:path"
import { Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import { type LoadedSpec, loadSpec, resolveAll } from "@effect-accelforge/core"
import { einsumFacts, einsumTemplates, sharedTensors } from "../src/index.ts"
import { verifiedAnalysisKey } from "../src/tiles/verified-analysis-cache.ts"

const REPO = resolve(import.meta.dirname, "../../..")

const load = (width: number): Promise<LoadedSpec> =>
  Effect.runPromise(loadSpec({
    files: [resolve(REPO, "examples/arches/systolic_tpu_like.yaml"), resolve(REPO, "examples/workloads/matmul_chain.yaml")],
    variables: { LAYERS: 2, TOKENS: 64, WIDTH: width },
    overrides: []
  }))

/** Every template's key, contexts and templates made anew (as each search makes them). */
const keys = (loaded: LoadedSpec, deferrable: ReadonlySet<string> = new Set(), withTerms = true): Array<string | undefined> => {
  const contexts = resolveAll(loaded)
  if (Result.isFailure(contexts)) throw contexts.failure
  const fusable = sharedTensors(loaded.workload.einsums)
  return contexts.success.flatMap((ctx) =>
    einsumTemplates(ctx, einsumFacts(ctx, fusable), loaded.spec.mapper).map((t) => verifiedAnalysisKey(t, deferrable, ctx.einsum.bounds, withTerms))
  )
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
})
