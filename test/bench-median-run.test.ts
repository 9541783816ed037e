/** The bench's median of three for short cases (bench/median-run.ts). */
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"

// A computed path: bench/ is not part of the type-checked projects (as in reference/bench-optima.ts).
const { medianRun, REPEAT_BELOW_SECONDS } = (await import(resolve(import.meta.dirname, "../bench/median-run.ts"))) as {
  readonly medianRun: <T>(first: T, again: () => T | undefined, seconds: (t: T) => number) => T
  readonly REPEAT_BELOW_SECONDS: number
}

const runs = <T>(values: ReadonlyArray<T | undefined>) => {
  let k = 0
  return { again: () => values[k++], asked: () => k }
}

describe("medianRun", () => {
  it("runs a short case twice more and keeps the middle run", () => {
    const more = runs([0.1, 0.3])
    expect(medianRun(0.2, more.again, (s) => s)).toBe(0.2)
    expect(more.asked()).toBe(2)
    expect(medianRun(0.5, runs([0.1, 0.3]).again, (s) => s)).toBe(0.3)
    expect(medianRun(0.05, runs([0.1, 0.3]).again, (s) => s)).toBe(0.1)
  })

  it("keeps a long case's one run", () => {
    const more = runs([1, 1])
    expect(medianRun(REPEAT_BELOW_SECONDS, more.again, (s) => s)).toBe(REPEAT_BELOW_SECONDS)
    expect(more.asked()).toBe(0)
  })

  it("leaves a failed run out, and of two keeps the faster", () => {
    expect(medianRun(0.4, runs([undefined, 0.2]).again, (s) => s)).toBe(0.2)
    expect(medianRun(0.4, runs([undefined, undefined]).again, (s) => s)).toBe(0.4)
  })

  it("orders by the figure asked for, and returns the whole run", () => {
    const a = { search: 0.09, wall: 0.2 }
    const b = { search: 0.07, wall: 0.3 }
    const c = { search: 0.08, wall: 0.1 }
    expect(medianRun(a, runs([b, c]).again, (r) => r.search)).toBe(c)
  })
})
