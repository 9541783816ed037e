/**
 * Which memories the search carries a usage column for (generate/memory-tracking.ts): a memory
 * is left out only when every Einsum's tensors fit in it at once, a shared tensor counted once
 * per Einsum that uses it (the join keeps one copy per Einsum). On the bundled two-layer chain
 * (8-bit values, 256 tokens, width 128) the tensors are 128 KiB counted once each and 160 KiB
 * with the shared X1 counted per Einsum, so a 144 KiB scratchpad must be tracked: a rule that
 * counted X1 once would leave it out and let the join overfill it (the fix of e493f9a, which no
 * other test catches).
 */
import { Effect } from "effect"
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { loadSpec } from "@effect-accelforge/core"
import { searchSetup } from "../src/index.ts"

const REPO = resolve(import.meta.dirname, "../../..")

const trackedFor = async (scratchpadKiB: number): Promise<ReadonlyArray<string>> => {
  const loaded = await Effect.runPromise(loadSpec({
    files: [resolve(REPO, "examples/arches/two_level.yaml"), resolve(REPO, "examples/workloads/matmul_chain.yaml")],
    variables: { LAYERS: 2, SCRATCHPAD_KIB: scratchpadKiB },
    overrides: []
  }))
  return searchSetup(loaded).tracked
}

describe("memory tracking", () => {
  it("tracks a 144 KiB scratchpad, which the tensors fit only if the shared one counted once", async () => {
    expect(await trackedFor(144)).toContain("Scratchpad")
  })

  it("leaves out a memory that holds every Einsum's tensors at once, shared ones counted per Einsum", async () => {
    expect(await trackedFor(160)).not.toContain("Scratchpad")
    expect(await trackedFor(100)).toContain("Scratchpad")
  })
})
