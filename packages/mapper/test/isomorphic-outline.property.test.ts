/**
 * `searchRepresentatives` writes the canonical form only of Einsums whose outline (template
 * and access counts, sorted bounds) another Einsum shares, and without the templates (which
 * the rest of the form determines): the same representatives as comparing every Einsum's
 * whole form, templates included (the pmapping cache's key), on the join's random cascades
 * (whose Einsums often share their bounds) and on the project's chains and transformer block.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { Effect } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type LoadedSpec, loadSpec } from "@effect-accelforge/core"
import { searchRepresentatives, searchSetup, searchSignature } from "../src/index.ts"
import { caseArbitrary } from "./support/join-brute-force.ts"
import { specText } from "./support/join-case.ts"

const REPO = resolve(import.meta.dirname, "../../..")
const dir = mkdtempSync(join(tmpdir(), "isomorphic-outline-"))
let files = 0

/** The reference: every Einsum's whole form (templates written out), the first Einsum of each form. */
const bySignature = (loaded: LoadedSpec): Array<number> => {
  const { contexts, templates, fusable } = searchSetup(loaded)
  const firstWith = new Map<string, number>()
  return contexts.map((ctx, i) => {
    const signature = searchSignature(ctx, templates[i]!, fusable)
    if (signature === undefined) return i
    if (!firstWith.has(signature)) firstWith.set(signature, i)
    return firstWith.get(signature)!
  })
}

const representatives = (loaded: LoadedSpec): Array<number> => {
  const { contexts, templates, fusable } = searchSetup(loaded)
  return searchRepresentatives(contexts, templates, fusable)
}

const loadText = (text: string): Promise<LoadedSpec> => {
  const file = join(dir, `spec-${files++}.yaml`)
  writeFileSync(file, text)
  return Effect.runPromise(loadSpec({ files: [file], variables: {}, overrides: [] }))
}

describe("isomorphic Einsums found through outlines", () => {
  it("the same representatives as comparing every Einsum's canonical form (random cascades)", async () => {
    let matched = 0
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async (c) => {
        const loaded = await loadText(specText(c))
        const expected = bySignature(loaded)
        expect(representatives(loaded)).toEqual(expected)
        if (expected.some((first, i) => first !== i)) matched++
      }),
      { numRuns: 40, seed: 17 }
    )
    // The property sees Einsums that do share a search, not only ones told apart by their outlines.
    expect(matched).toBeGreaterThan(0)
  }, 120_000)

  it("the same representatives on a matmul chain and the transformer block", async () => {
    const arch = resolve(REPO, "examples/arches/two_level.yaml")
    for (const [workload, variables] of [["matmul_chain", { LAYERS: 6, TOKENS: 64, WIDTH: 32 }], ["transformer_block", { TOKENS: 64, HEADS: 2, HEAD_DIM: 16 }]] as const) {
      const loaded = await Effect.runPromise(loadSpec({ files: [arch, resolve(REPO, `examples/workloads/${workload}.yaml`)], variables, overrides: ["mapper.max_fused_loops=1"] }))
      expect(representatives(loaded)).toEqual(bySignature(loaded))
    }
  }, 120_000)
})
