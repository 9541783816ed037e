/**
 * Every AccelForge example arch and workload loads, validates and resolves per Einsum with
 * the variables the regression cases use, and the parsed values are the ones AccelForge
 * reads. Skipped when ../shared is absent.
 */
import { Effect, Exit, Result } from "effect"
import { existsSync, globSync } from "node:fs"
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { EvaluationError } from "../src/errors.ts"
import type { LoadedSpec } from "../src/spec/loaded-spec.ts"
import { resolveAll, resolveEinsum } from "../src/resolve/resolve-einsum.ts"
import { loadSpec } from "../src/service/load-spec.ts"

const accelforge = resolve(import.meta.dirname, "../../../../shared/reference/accelforge")
const arch = (name: string) => resolve(accelforge, "examples/arches", name)
const workload = (name: string) => resolve(accelforge, "examples/workloads", name)

const load = (files: ReadonlyArray<string>, variables: Record<string, unknown> = {}): LoadedSpec =>
  Effect.runSync(loadSpec({ files, variables }))

const loadFailure = (files: ReadonlyArray<string>, variables: Record<string, unknown> = {}) => {
  const exit = Effect.runSyncExit(loadSpec({ files, variables }))
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  return exit.cause
}

const resolveEvery = (loaded: LoadedSpec) => {
  const all = resolveAll(loaded)
  if (Result.isFailure(all)) throw new Error(all.failure.message)
  return all.success
}

const matmulVars = { N_EINSUMS: 2, M: 64, KN: 64 }
const prefill256 = { BATCH_SIZE: 1, DECODE: false, N_NEW_TOKENS: 256 }

describe.skipIf(!existsSync(accelforge))("AccelForge reference specs", () => {
  it("gpt3_6.7B prefill with 2048 tokens has the reference Einsums and rank sizes", () => {
    const loaded = load([arch("tpu_v4i.yaml"), workload("transformers/gpt/gpt3_6.7B.yaml")], {
      BATCH_SIZE: 1, DECODE: false, N_NEW_TOKENS: 2048
    })
    expect(loaded.workload.einsums.map((e) => e.name)).toEqual([
      "I", "V", "K", "Q", "QK", "QK_softmax", "AV", "Z", "FFA", "FFB"
    ])
    expect(loaded.workload.rankSizes).toMatchObject({
      B: 1, M: 2048, P: 2048, H: 32, E: 128, F: 128, D: 4096, C: 16384, J: 4096, G: 4096
    })
    expect(Object.fromEntries(loaded.workload.rankVariableBounds)).toMatchObject({
      b: 1, m: 2048, p: 2048, h: 32, e: 128, f: 128, d: 4096, g: 4096, c: 16384, j: 4096
    })
    const qk = loaded.workload.einsumsByName.get("QK")!
    expect(qk.opCount).toBe(2048 * 2048 * 32 * 128)
    expect(loaded.workload.einsumsByName.get("I")!.isCopyOperation).toBe(true)
    expect(loaded.workload.tensorsByName.get("WFFA")!.size).toBe(4096 * 16384)
  })

  it("tpu_v4i's GlobalBuffer size evaluates to 1073741824 and compute units follow len(All)", () => {
    const loaded = load([arch("tpu_v4i.yaml"), workload("transformers/gpt/gpt3_6.7B.yaml")], {
      BATCH_SIZE: 1, DECODE: false, N_NEW_TOKENS: 2048
    })
    const contexts = resolveEvery(loaded)
    const v = contexts.find((c) => c.einsum.name === "V")!
    const byName = new Map(v.components.map((c) => [c.name, c]))
    expect(byName.get("GlobalBuffer")!.size).toBe(1073741824)
    expect(byName.get("MainMemory")!.actions.map((a) => a.throughput)).toEqual([8 * 614e9, 8 * 614e9])
    expect(byName.get("Register")!.size).toBe(16) // weight.bits_per_value with {All: 16}
    expect(v.computePaths.filter((p) => p.enabled).map((p) => p.compute)).toEqual(["MAC"])
    const softmax = contexts.find((c) => c.einsum.name === "QK_softmax")!
    expect(softmax.computePaths.filter((p) => p.enabled).map((p) => p.compute)).toEqual(["ScalarUnit"])
    expect(softmax.components.find((c) => c.name === "Register")!.size).toBe(0) // no weight
    // The ScalarUnit path is a side exit: MainMemory -> GlobalBuffer -> LocalBuffer -> ScalarUnit.
    expect(softmax.computePaths.find((p) => p.compute === "ScalarUnit")!.nodes.map((n) => n.name)).toEqual([
      "MainMemory", "GlobalBuffer", "LocalBuffer", "ScalarUnit"
    ])
    // persistent_tensors: weight - Intermediates
    expect([...v.persistentTensors]).toEqual(["WV"])
    expect(v.bitsPerValue.get("I")).toBe(16)
  })

  it("simple.yaml keeps memory-name set expressions for the mapper and evaluates the rest", () => {
    const [m0] = resolveEvery(load([arch("simple.yaml"), workload("basic/matmuls.yaml")], matmulVars))
    const glb = m0!.components.find((c) => c.name === "GlobalBuffer")!
    expect(glb.size).toBe(Infinity)
    expect(glb.tensors!.keep).toEqual({ _tag: "Deferred", expression: "~MainMemory" })
    const main = m0!.components.find((c) => c.name === "MainMemory")!
    const keep = main.tensors!.keep
    expect(keep._tag === "Resolved" && [...keep.set]).toEqual(["T0", "W0"]) // ~Intermediates
  })

  it("jinja variables reach the arch (simple.yaml MainMemoryEnergy)", () => {
    const [m0] = resolveEvery(load([arch("simple.yaml"), workload("basic/matmuls.yaml")], { ...matmulVars, MainMemoryEnergy: 3 }))
    expect(m0!.components[0]!.actions.map((a) => a.energy)).toEqual([3, 3])
  })

  const archFiles = [
    ...["simple", "tpu_v4i", "nvdla", "snowcat", "eyeriss", "simba", "eyeriss_resolved", "simba_resolved"].map((a) => `${a}.yaml`),
    ...globSync("fanout_variations/*.yaml", { cwd: resolve(accelforge, "examples/arches") })
  ]
  it.each(archFiles)("arch %s resolves for every Einsum of matmuls", (file) => {
    const contexts = resolveEvery(load([arch(file), workload("basic/matmuls.yaml")], matmulVars))
    expect(contexts.map((c) => c.einsum.name)).toEqual(["Matmul0", "Matmul1"])
    for (const c of contexts) expect(c.computePaths.some((p) => p.enabled)).toBe(true)
  })

  it("eyeriss needs component models; its resolved twin has every number", () => {
    const [raw] = resolveEvery(load([arch("eyeriss.yaml"), workload("basic/matmuls.yaml")], matmulVars))
    expect(raw!.components.filter((c) => c.needsComponentModel).map((c) => c.name)).toContain("GlobalBuffer")
    const [resolved] = resolveEvery(load([arch("eyeriss_resolved.yaml"), workload("basic/matmuls.yaml")], matmulVars))
    expect(resolved!.components.filter((c) => c.needsComponentModel)).toEqual([])
  })

  const workloads: ReadonlyArray<readonly [string, Record<string, unknown>, number]> = [
    ["basic/matmuls.yaml", matmulVars, 2],
    ["basic/three_matmuls_annotated.yaml", {}, 3],
    ["basic/matvecs.yaml", {}, 2],
    ["cnns/mobilenet/mobilenet_28.yaml", {}, 6],
    ["transformers/gpt/gpt3_6.7B.yaml", prefill256, 10],
    ["transformers/gpt/gpt3_175B.yaml", { BATCH_SIZE: 1, DECODE: true, N_CACHED_TOKENS: 2047, N_NEW_TOKENS: 1 }, 10],
    ["transformers/llama/llama3_8B.yaml", prefill256, 12],
    ["transformers/qwen/qwen3_8B.yaml", prefill256, 12],
    ["transformers/qwen/qwen3_30B_A3B.yaml", prefill256, 14],
    ["transformers/deepseek/deepseek_v3_671B.yaml", prefill256, 21],
    ["transformers/mixtral/mixtral8x22B.yaml", prefill256, 14],
    ["transformers/llama/llama4_scout.yaml", { ...prefill256, ATTENTION_TYPE: "grouped_query" }, 19],
    ["transformers/mamba/mamba.yaml", {}, 12]
  ]
  it.each(workloads)("workload %s loads and resolves on snowcat", (file, vars, count) => {
    const contexts = resolveEvery(load([arch("snowcat.yaml"), workload(file)], vars))
    expect(contexts).toHaveLength(count)
    for (const c of contexts) expect(c.einsum.opCount).toBeGreaterThan(0)
  })

  it("gpt3_175B decode reads the KV cache over P with 2047 cached tokens", () => {
    const loaded = load([arch("simple.yaml"), workload("transformers/gpt/gpt3_175B.yaml")], {
      BATCH_SIZE: 1, DECODE: true, N_CACHED_TOKENS: 2047, N_NEW_TOKENS: 1
    })
    expect(loaded.workload.rankVariableBounds.get("p")).toBe(2047)
    expect(loaded.workload.rankVariableBounds.get("m")).toBe(1)
    expect(loaded.workload.einsumsByName.get("QK")!.inputs).toEqual(["Q", "K_cache"])
  })

  it("deepseek's bits_per_value uses per-tensor keys with Other", () => {
    const contexts = resolveEvery(load([arch("snowcat.yaml"), workload("transformers/deepseek/deepseek_v3_671B.yaml")], prefill256))
    const bits = new Set(contexts.flatMap((c) => [...c.bitsPerValue.values()]))
    expect(bits.size).toBeGreaterThan(1)
  })

  it("mobilenet_various_separate fails to load as upstream documents (legacy keys)", () => {
    const cause = loadFailure([arch("simple.yaml"), workload("cnns/mobilenet/mobilenet_various_separate.yaml")])
    expect(String(cause)).toContain("unknown field 'version'")
  })

  it("test inputs with tolls, values per action and networks resolve", () => {
    const tests = resolve(accelforge, "tests")
    const toll = resolveEvery(load([resolve(tests, "input_files/toll.arch.yaml"), resolve(tests, "input_files/matmul_toll.workload.yaml")]))
    const tollNode = toll[0]!.components.find((c) => c.kind === "Toll")!
    expect(tollNode.direction!.size).toBe(3)
    for (const variant of ["default", "component_wins", "action_wins", "component_bpa", "action_bpa"]) {
      const vpa = resolveEvery(load([
        resolve(tests, `values_per_action/input_files/vpa_precedence_${variant}.arch.yaml`),
        resolve(tests, "values_per_action/input_files/vpa_precedence.workload.yaml")
      ]))
      expect(vpa).toHaveLength(1)
    }
    const network = load([resolve(tests, "network/input_files/networked/hierarchical_1d_all_to_all.yaml")])
    expect(network.spec.arch.nodes.filter((n) => n.$tag === "Network")).toHaveLength(2)
  })

  it("a missing Einsum name is a typed error", () => {
    const loaded = load([arch("simple.yaml"), workload("basic/matmuls.yaml")], matmulVars)
    const r = resolveEinsum(loaded, "Nope")
    expect(Result.isFailure(r) && r.failure).toBeInstanceOf(EvaluationError)
  })
})
