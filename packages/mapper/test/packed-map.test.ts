import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { packedMap } from "../src/pareto/packed-map.ts"

const source = fileURLToPath(new URL("../src/pareto/packed-map.ts", import.meta.url))

/**
 * In a child Node with V8's test intrinsics: how many of 3000 results of `packedMap` and of
 * `Array.prototype.map` (callbacks that allocate, so a collection lands inside some calls) came
 * out holey. A fixed loop, no timing.
 */
const holeyCounts = (): { readonly packedMap: number; readonly arrayMap: number } => {
  const script = `
    const { packedMap } = await import(${JSON.stringify(source)})
    let ours = 0, builtin = 0
    for (let it = 0; it < 3000; it++) {
      const xs = [new Float64Array(4), new Float64Array(4), new Float64Array(4), new Float64Array(4)]
      const f = () => ({ codes: new Int32Array(it % 7 === 0 ? 100000 : 10) })
      if (%HasHoleyElements(packedMap(xs, f))) ours++
      if (%HasHoleyElements(xs.map(f))) builtin++
    }
    console.log(JSON.stringify({ packedMap: ours, arrayMap: builtin }))`
  const out = execFileSync(process.execPath, ["--allow-natives-syntax", "--input-type=module", "-e", script], { encoding: "utf8" })
  return JSON.parse(out)
}

describe("packedMap", () => {
  it("maps every element with its index, in order", () => {
    expect(packedMap(["a", "b", "c"], (x, i) => `${x}${i}`)).toEqual(["a0", "b1", "c2"])
    expect(packedMap([], (x: number) => x)).toEqual([])
  })

  it("always returns a packed array, where Array.prototype.map sometimes returns a holey one", () => {
    const counts = holeyCounts()
    // The builtin's holey results show the check can see the difference (V8 as installed).
    expect(counts.arrayMap).toBeGreaterThan(0)
    expect(counts.packedMap).toBe(0)
  })
})
