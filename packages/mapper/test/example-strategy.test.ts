/**
 * The README's example strategy runs through the same driver as the registered ones: on a
 * two-matmul chain it returns one valid mapping per Einsum, found by its first valid id, and it
 * stops because the strategy says it is done.
 */
import { describe, expect, it } from "vitest"
import { searchSetup } from "../src/index.ts"
import { loadCase } from "./support/random-cascade.ts"
import { firstValid } from "./support/first-valid.ts"
import { chosenPmappings, runNamed, validPmappings } from "./support/strategy-runs.ts"

describe("a strategy of your own", () => {
  it("stops at its first valid mapping per Einsum", async () => {
    const { loaded } = await loadCase({
      m: 4, k: 4, n: 2, j: 4, einsums: 2, bufferBits: 160, fanout: 2, minUsage: 1, loopBound: "none", fused: true, maxFusedLoops: 1, metric: "ENERGY"
    })
    const run = await runNamed(firstValid, loaded)
    if (run.kind !== "einsum") throw new Error("a per-Einsum strategy")
    for (const e of run.timeloop.einsums) {
      expect(e.valid).toBe(1)
      expect(e.threads.map((t) => t.stop)).toEqual(["strategy done"])
    }
    const setup = searchSetup(loaded)
    const valid = validPmappings(loaded, setup)
    chosenPmappings(run, setup).forEach((key, e) => expect(valid[e]!.has(key)).toBe(true))
    await expect(runNamed(firstValid, loaded, 2)).rejects.toThrow(/not in the registry/)
  }, 60_000)
})
