/**
 * The text LoopTree of a fused mapping: the tiles of the loops above a `Sequential` carry into
 * every branch, so a branch's loops count from the shared loop's tile, not the full rank.
 */
import type { Mapping, MappingNode } from "@effect-accelforge/core"
import { describe, expect, it } from "vitest"
import { renderLoopTree, shownLoopTree } from "../src/format/loop-tree.ts"

const temporal = (rank_variable: string, tile_shape: number): MappingNode => ({ $tag: "Temporal", rank_variable, tile_shape })
const storage = (component: string, tensors: ReadonlyArray<string>): MappingNode => ({ $tag: "Storage", component, tensors, persistent: false })
const compute = (einsum: string): MappingNode => ({ $tag: "Compute", einsum, component: "MAC" })
const nested = (...nodes: ReadonlyArray<MappingNode>): MappingNode => ({ $tag: "Nested", nodes })
const sequential = (...nodes: ReadonlyArray<MappingNode>): MappingNode => ({ $tag: "Sequential", nodes })

/** E1 (m 64, k 8) and E2 (m 64, n 8) share an `m` loop of 4 iterations, then each tiles m again. */
const fusedTwoEinsums: Mapping = {
  nodes: [
    storage("DRAM", ["A", "B", "C"]),
    temporal("m", 64), // runs once: hidden
    temporal("m", 16), // shared: 64 / 16 = 4
    sequential(
      nested(storage("Buffer", ["A"]), temporal("m", 4), temporal("m", 1), temporal("k", 1), compute("E1")),
      nested(storage("Buffer", ["B"]), temporal("m", 16), temporal("m", 1), temporal("n", 1), compute("E2"))
    )
  ]
}

const fusedBounds = (einsum: string): ReadonlyMap<string, number> =>
  new Map(einsum === "E1" ? [["m", 64], ["k", 8]] : einsum === "E2" ? [["m", 64], ["n", 8]] : [])

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
