/**
 * Non-backing copies of a shared tensor above a fused loop (compatibility.ts `copies`): in the
 * fused LoopTree one node above a shared loop is on the path of every Einsum below it, so two
 * users of the tensor that share the loop must hold the same copies there. Before the join
 * checked it, a gate cascade searched with objective_tolerance 0.05 joined E0 (T0 copied into
 * GLB above the shared n1 loop) with E1 (T0 read straight from DRAM): the rows summed to energy
 * 1556, the mapping built from them evaluated to 1396 (E1 read T0 through E0's copy).
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { loadSpec } from "@effect-accelforge/core"
import type { Compatibility, TensorPlacement } from "../src/index.ts"
import { copiesAgree, joinedCompatibility } from "../src/join/compatibility-join.ts"
import { GATE_COPY_CASE, specText } from "./support/join-case.ts"
import { mapSpec } from "./support/run-mapper.ts"

const n1 = { rank: "N1", spatial: false, dimension: null, iterations: 4 }
const t0 = (extra: Partial<TensorPlacement> = {}): TensorPlacement => ({ tensor: "T0", component: "DRAM", persistent: false, loops: [], ...extra })
const t1: TensorPlacement = { tensor: "T1", component: "GLB", persistent: false, loops: [n1] }
const glbCopy = { node: "Storage GLB", level: 0 }

describe("copies of a shared tensor above shared loops", () => {
  // E0 joined so far: T0 (read again by E1) with E0's GLB copy above n1, which E1 runs inside (T1 is live).
  const left: Compatibility = { tensors: [t0({ copies: [glbCopy], open: 1 }), t1] }

  it("the next user must hold the same copies above the loops it shares", () => {
    expect(copiesAgree(left, { tensors: [t0(), { ...t1, tensor: "T2" }] })).toBe(false)
    expect(copiesAgree(left, { tensors: [t0({ copies: [glbCopy] }), { ...t1, tensor: "T2" }] })).toBe(true)
    // A user that shares no loop with the earlier one sees none of its copies.
    expect(copiesAgree({ tensors: [t0({ copies: [] })] }, { tensors: [t0({ copies: [glbCopy] })] })).toBe(true)
    // A copy the earlier user lacks is seen by it as well.
    expect(copiesAgree({ tensors: [t0({ open: 1 }), t1] }, { tensors: [t0({ copies: [glbCopy] }), t1] })).toBe(false)
  })

  it("the joined compatibility keeps the latest user's copies, open as deep as the next Einsum shares", () => {
    const right: Compatibility = { tensors: [t0({ copies: [glbCopy] }), { ...t1, tensor: "T2" }] }
    const joined = joinedCompatibility(left, right, new Set(["T0", "T1", "T2"]))
    expect(joined.tensors.find((t) => t.tensor === "T0")).toEqual(t0({ copies: [glbCopy], open: 1 }))
    // When the tensors under n1 die, nothing holds the next Einsum inside n1: T0's copies are closed.
    const closed = joinedCompatibility(left, right, new Set(["T0"]))
    expect(closed.tensors).toEqual([t0()])
  })

  it("the found case: the chosen rows' objectives are the model's evaluation of the mapping built from them", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "shared-copies-")), "gate.yaml")
    writeFileSync(file, specText(GATE_COPY_CASE))
    const loaded = await Effect.runPromise(loadSpec({ files: [file], variables: {}, overrides: [] }))
    for (const objective_tolerance of [0, 0.05]) {
      const result = await mapSpec({ ...loaded, spec: { ...loaded.spec, mapper: { ...loaded.spec.mapper, objective_tolerance } } })
      expect(result.objectives.energy, `tolerance ${objective_tolerance}`).toBeCloseTo(result.evaluation.energy, 9)
    }
  })
})
