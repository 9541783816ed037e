/**
 * The workload graph of the three-layer chain under the bundled mapping: X1 and X2 stay in the
 * scratchpad (the mapping keeps them there and never stores them in DRAM), so they are the
 * fused tensors; X0, the weights and X3 cross DRAM. Graphviz draws one node per Einsum and
 * tensor and one edge per access.
 */
import { Effect } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { renderWorkloadGraphSvg, type WorkloadGraph, workloadGraphOf } from "../src/graph/workload-graph.ts"
import { type Case, chainCase } from "./chain-case.ts"

let c: Case
let graph: WorkloadGraph
beforeAll(async () => {
  c = await chainCase()
  graph = workloadGraphOf(c.loaded, c.result, "DRAM")
})

describe("workload graph", () => {
  it("marks as fused exactly the tensors with no DRAM traffic", () => {
    expect(graph.einsums.map((e) => e.name)).toEqual(["X1", "X2", "X3"])
    expect(graph.tensors.filter((t) => t.fused).map((t) => t.name).sort()).toEqual(["X1", "X2"])
    expect(Object.fromEntries(graph.tensors.map((t) => [t.name, t.role]))).toMatchObject({ X0: "input", W0: "input", X1: "intermediate", X3: "output" })
    expect(graph.einsums.every((e) => e.compute === "MAC")).toBe(true)
  })

  it("renders one node per Einsum and tensor, one edge per access, fused tensors classed", async () => {
    const svg = await Effect.runPromise(renderWorkloadGraphSvg(graph))
    expect(svg.startsWith("<svg")).toBe(true)
    expect(svg).not.toContain("<?xml")
    const nodes = svg.match(/<g id="node\d+" class="node[^"]*"/g) ?? []
    expect(nodes).toHaveLength(graph.einsums.length + graph.tensors.length)
    const edges = svg.match(/<g id="edge\d+" class="edge"/g) ?? []
    expect(edges).toHaveLength(graph.einsums.reduce((s, e) => s + e.inputs.length + 1, 0))
    expect((svg.match(/class="node tensor intermediate fused"/g) ?? []).length).toBe(2)
  })
})
