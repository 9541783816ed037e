/**
 * The text LoopTree of a fused mapping: the tiles of the loops above a `Sequential` carry into
 * every branch, so a branch's loops count from the shared loop's tile, not the full rank.
 */
import type { Mapping } from "@effect-accelforge/core"
import { describe, expect, it } from "vitest"
import { renderLoopTree, shownLoopTree } from "../src/loop-tree/loop-tree.ts"
import { temporal, storage, compute, nested, sequential, fusedTwoEinsums, fusedBounds } from "./fixtures/loop-trees.ts"

describe("renderLoopTree", () => {
  it("carries the shared loop's tile into each branch; loops that run once stay hidden", () => {
    expect(renderLoopTree(fusedTwoEinsums, fusedBounds)).toBe([
      "Storage DRAM [A, B, C]",
      "Temporal m tile 16 (x4)",
      "  Sequential",
      "    Storage Buffer [A]",
      "    Temporal m tile 4 (x4)",
      "      Temporal m tile 1 (x4)",
      "        Temporal k tile 1 (x8)",
      "          Compute MAC (Einsum E1)",
      // E2's m tile 16 right under the shared m tile 16 runs once: hidden, and m tile 1 is x16.
      "    Storage Buffer [B]",
      "    Temporal m tile 1 (x16)",
      "      Temporal n tile 1 (x8)",
      "        Compute MAC (Einsum E2)"
    ].join("\n"))
  })

  it("a shared loop over a set {a, b}: each Einsum divides the member it has", () => {
    const mapping: Mapping = {
      nodes: [
        temporal("{p, q}", 8),
        sequential(
          nested(temporal("p", 1), compute("P")),
          nested(temporal("q", 2), temporal("q", 1), compute("Q"))
        )
      ]
    }
    const bounds = (einsum: string) => new Map([[einsum === "P" ? "p" : "q", 32]])
    expect(renderLoopTree(mapping, bounds)).toBe([
      "Temporal {p, q} tile 8 (x4)",
      "  Sequential",
      "    Temporal p tile 1 (x8)",
      "      Compute MAC (Einsum P)",
      "    Temporal q tile 2 (x4)",
      "      Temporal q tile 1 (x2)",
      "        Compute MAC (Einsum Q)"
    ].join("\n"))
  })

  it("an unfused chain counts from the Einsum's own bounds, and an empty mapping is empty", () => {
    const mapping: Mapping = { nodes: [storage("DRAM", ["A"]), temporal("m", 8), temporal("m", 1), compute("E1")] }
    expect(renderLoopTree(mapping, fusedBounds)).toBe(
      ["Storage DRAM [A]", "Temporal m tile 8 (x8)", "  Temporal m tile 1 (x8)", "    Compute MAC (Einsum E1)"].join("\n")
    )
    expect(renderLoopTree({ nodes: [] }, fusedBounds)).toBe("")
    expect(shownLoopTree({ nodes: [] }, fusedBounds)).toBeUndefined()
  })
})
