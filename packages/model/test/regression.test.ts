/**
 * AccelForge's mapper results for two-matmul chains, reproduced by evaluating the mapping the
 * mapper chose (reconstructed from model doc §10, §11, §11b and §14 and written in
 * examples/mappings/). eyeriss uses eyeriss_resolved.yaml (component-model values written in).
 */
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { af, compareWithRegression, evaluateOk, HAS_SHARED, load, loadMapping, regressionCase, REPO } from "./reference.ts"

const vars = { N_EINSUMS: 2, M: 64, KN: 64 }
const matmuls = () => af("examples/workloads/basic/matmuls.yaml")
const mapping = (name: string) => resolve(REPO, "examples/mappings", name)

describe.skipIf(!HAS_SHARED)("regression_public.json, two-matmul cases", () => {
  // The unfused cases keep every tensor's outermost copy in MainMemory (`keep: All` there).
  it.each([
    ["simple", "fused", "simple_two_matmuls_untiled.yaml", 32],
    ["tpu_v4i", "fused", "tpu_two_matmuls_fused.yaml", 71],
    ["simple", "unfused", "simple_two_matmuls_untiled.yaml", 32],
    ["tpu_v4i", "unfused", "tpu_two_matmuls_unfused.yaml", 72],
    ["eyeriss_resolved", "fused", "eyeriss_two_matmuls_fused.yaml", 77]
  ])("%s|matmuls|KN=64,M=64,N_EINSUMS=2|%s", async (arch, variant, file, count) => {
    const overrides = variant === "unfused" ? ["arch.nodes.0.tensors.keep=All"] : []
    const loaded = await load([af(`examples/arches/${arch}.yaml`), matmuls()], vars, overrides)
    const result = evaluateOk(loaded, await loadMapping(mapping(file), vars))
    const key = `${arch.replace("_resolved", "")}|matmuls|KN=64,M=64,N_EINSUMS=2|${variant}`
    const comparison = compareWithRegression(result, regressionCase(key))
    expect(comparison.failures).toEqual([])
    expect(comparison.checked).toBe(count)
  })

  it("tpu_v4i: usage and capacity match the hand trace (model doc §11)", async () => {
    const loaded = await load([af("examples/arches/tpu_v4i.yaml"), matmuls()], vars)
    const result = evaluateOk(loaded, await loadMapping(mapping("tpu_two_matmuls_fused.yaml"), vars))
    const usage = new Map(result.spatialUsage.filter((u) => u.einsum === "Matmul0").map((u) => [`${u.component}.${u.dimension}`, u.usage]))
    expect(Object.fromEntries(usage)).toEqual({ "LocalBuffer.Z": 1, "ProcessingElement.reuse_input": 0.5, "ProcessingElement.reuse_output": 0.5 })
    const bits = (component: string) =>
      result.memoryUsage.filter((u) => u.einsum === "Matmul0" && u.component === component).reduce((s, u) => s + u.bits, 0)
    expect(bits("Register")).toBe(8)
    expect(bits("LocalBuffer")).toBe(2 * 8192)
    expect(bits("GlobalBuffer")).toBe(32768 + 32768)
  })
})
