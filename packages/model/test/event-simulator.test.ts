import { describe, expect, it } from "vitest"
import { simulate, type SimNode } from "./support/event-simulator.ts"

const leaf = (name: string, work: Record<string, [number, number]>): SimNode => ({
  kind: "leaf",
  name,
  work: new Map(Object.entries(work).map(([c, [critical, deferred]]) => [c, { critical, deferred }]))
})
const group = (iterations: number, pipelined: boolean, stages: Array<SimNode>): SimNode => ({ kind: "group", iterations, pipelined, stages })

describe("the event simulator", () => {
  it("runs a sequence of tasks one after another, each as long as its busiest component", () => {
    const r = simulate(group(3, false, [leaf("a", { DRAM: [2, 0], MAC: [5, 0] }), leaf("b", { DRAM: [4, 0], MAC: [1, 0] })]))
    expect(r.makespan).toBe(3 * (5 + 4))
    expect(r.tasks).toBe(6)
    expect(r.busy.get("DRAM")).toBe(18)
  })

  it("pipelines stages on separate components as a flow shop: fill plus (n-1) times the slowest stage", () => {
    const r = simulate(group(5, true, [leaf("a", { DRAM: [2, 0] }), leaf("b", { MAC: [7, 0] }), leaf("c", { SRAM: [3, 0] })]))
    expect(r.makespan).toBe(2 + 7 + 3 + 4 * 7)
    expect(r.spans.get("b")).toEqual({ start: 2, end: 2 + 5 * 7 })
  })

  it("makes stages that share a component take turns on it", () => {
    // Both stages need the MAC for 4 per iteration: the MAC, not a stage, sets the pace.
    const r = simulate(group(3, true, [leaf("a", { MAC: [4, 0] }), leaf("b", { MAC: [4, 0] })]))
    expect(r.makespan).toBe(24)
  })

  it("does deferred work in a component's idle time, after its critical work", () => {
    // a writes 6 to DRAM in the background; b keeps the MAC busy for 10 and DRAM for 2.
    const r = simulate(group(1, false, [leaf("a", { DRAM: [1, 6], MAC: [1, 0] }), leaf("b", { DRAM: [2, 0], MAC: [10, 0] })]))
    expect(r.makespan).toBe(11)
    expect(r.spans.get("b")).toEqual({ start: 1, end: 11 })
    // With nothing after it to hide behind, the deferred work sets the end.
    expect(simulate(group(1, false, [leaf("a", { DRAM: [1, 6], MAC: [1, 0] })])).makespan).toBe(7)
  })

  it("releases deferred work when a task starts, or when its critical work ends", () => {
    const tree = group(1, false, [leaf("a", { DRAM: [0, 4], MAC: [4, 0] }), leaf("b", { MAC: [1, 0] })])
    expect(simulate(tree).makespan).toBe(5)
    expect(simulate(tree, { releaseDeferred: "at-end" }).makespan).toBe(8)
  })
})
