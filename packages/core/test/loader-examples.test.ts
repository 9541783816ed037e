/**
 * AccelForge's own example and test specs, loaded with our loader and checked against the
 * values their Jinja and YAML produce. Skipped when ../shared (AccelForge's files) is absent.
 */
import { existsSync, globSync } from "node:fs"
import { relative, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { SpecLoadError } from "../src/errors.ts"
import { LiteralString, loadSpecDocumentSync, positionAt, TAG_KEY, textOf } from "../src/loader/index.ts"

const accelforge = resolve(import.meta.dirname, "../../../../shared/reference/accelforge")
const examples = resolve(accelforge, "examples")
const arches = resolve(examples, "arches")
const workloads = resolve(examples, "workloads")

const load = (file: string, vars: Record<string, unknown> = {}): any => loadSpecDocumentSync(file, vars).data

const nodeNamed = (nodes: ReadonlyArray<any>, name: string): any => nodes.find((n) => n.name === name)

/** The einsum strings of a (possibly nested) einsums list. */
const einsumStrings = (einsums: ReadonlyArray<unknown>): Array<string> =>
  einsums.flat(3).map((e: any) => textOf(e) ?? textOf(e.einsum) ?? e.name)

const failure = (file: string, vars: Record<string, unknown>): SpecLoadError => {
  try {
    loadSpecDocumentSync(file, vars)
  } catch (e) {
    if (e instanceof SpecLoadError) return e
    throw e
  }
  throw new Error("expected a failure")
}

const prefill = { BATCH_SIZE: 1, DECODE: false, N_NEW_TOKENS: 256 }

describe.skipIf(!existsSync(accelforge))("AccelForge examples", () => {
  describe("every architecture loads", () => {
    const files = [...globSync(`${arches}/*.yaml`), ...globSync(`${arches}/fanout_variations/*.yaml`)].sort()

    it("finds the example architectures", () => {
      expect(files.length).toBeGreaterThanOrEqual(13)
    })

    it.each(files.map((f) => [relative(arches, f), f]))("%s", (_, file) => {
      const nodes = load(file).arch.nodes
      expect(nodes.length).toBeGreaterThan(0)
      for (const node of nodes) expect(typeof node[TAG_KEY]).toBe("string")
    })
  })

  it("simple.yaml: Jinja defaults give the string inf", () => {
    const nodes = load(resolve(arches, "simple.yaml")).arch.nodes
    const glb = nodeNamed(nodes, "GlobalBuffer")
    expect(glb).toMatchObject({ [TAG_KEY]: "Memory", size: "inf", leak_power: 0, area: 0 })
    expect(glb.tensors).toEqual({ keep: "~MainMemory", may_keep: "All" })
    expect(glb.actions).toEqual([{ name: "read", energy: 1, throughput: "inf" }, { name: "write", energy: 1, throughput: "inf" }])
    expect(nodeNamed(nodes, "MainMemory").actions[0].energy).toBe(1)
    expect(nodes.map((n: any) => n[TAG_KEY])).toEqual(["Memory", "Memory", "Compute"])
  })

  it("simple.yaml: variables override the defaults", () => {
    const nodes = load(resolve(arches, "simple.yaml"), { GlobalBufferSize: 2048, MainMemoryEnergy: 0.5 }).arch.nodes
    expect(nodeNamed(nodes, "GlobalBuffer").size).toBe(2048)
    expect(nodeNamed(nodes, "MainMemory").actions[1].energy).toBe(0.5)
  })

  it("tpu_v4i.yaml: expressions stay unevaluated strings", () => {
    const nodes = load(resolve(arches, "tpu_v4i.yaml")).arch.nodes
    const glb = nodeNamed(nodes, "GlobalBuffer")
    expect(glb[TAG_KEY]).toBe("Memory")
    expect(glb.size).toBe("1024*1024*128*8")
    expect(glb.total_latency).toBe("max(a.n_calls / a.throughput for a in actions)")
    expect(glb.actions[0]).toEqual({ name: "read", energy: 1.88e-12, throughput: "8 * 2048e9" })
    expect(glb.area).toBeCloseTo(112e-6)
    expect(nodes.map((n: any) => n[TAG_KEY])).toEqual(["Memory", "Memory", "Memory", "Compute", "Container", "Memory", "Compute"])
    expect(nodeNamed(nodes, "LocalBuffer").spatial).toEqual([{ name: "Z", fanout: 4, may_reuse: "Nothing", min_usage: 1 }])
    expect(positionAt(load(resolve(arches, "tpu_v4i.yaml")), ["arch", "nodes", 1, "size"])).toMatchObject({ line: 25, column: 5 })
  })

  it("snowcat.yaml: dict() defaults and .items() splicing", () => {
    const file = resolve(arches, "snowcat.yaml")
    const plain = load(file).arch.nodes
    expect(nodeNamed(plain, "GlobalBuffer")).toMatchObject({ size: 1e15, tensors: { keep: "All" } })
    const constrained = load(file, { ADDITIONAL_GLB_CONSTRAINTS: { keep: "~Intermediates", no_refetch_from_above: "All" } }).arch.nodes
    expect(nodeNamed(constrained, "GlobalBuffer").tensors).toEqual({ keep: "~Intermediates", no_refetch_from_above: "All" })
  })

  it("eyeriss.yaml and nvdla.yaml", () => {
    expect(load(resolve(arches, "eyeriss.yaml")).arch.extra_attributes_for_all_component_models).toEqual({ tech_node: 65e-9 })
    const nvdla = load(resolve(arches, "nvdla.yaml")).arch.nodes
    expect(nodeNamed(nvdla, "Register").size).toBe("weight.bits_per_value if weight else 1")
  })

  it("basic/matmuls.yaml", () => {
    const w = load(resolve(workloads, "basic/matmuls.yaml"), { N_EINSUMS: 2, M: 64, KN: 64 }).workload
    expect(w.iteration_space_shape).toEqual({ m: "0 <= m  < 64", n0: "0 <= n0 < 64", n1: "0 <= n1 < 64", n2: "0 <= n2 < 64" })
    expect(w.bits_per_value).toEqual({ All: 8 })
    expect(w.einsums.map((e: any) => e.name)).toEqual(["Matmul0", "Matmul1"])
    expect(w.einsums[1].tensor_accesses).toEqual([
      { name: "T1", projection: ["m", "n1"] },
      { name: "W1", projection: ["n1", "n2"] },
      { name: "T2", projection: ["m", "n2"], output: true }
    ])
    expect(w.einsums[1].renames).toEqual({ weight: "W1", input: "T1", output: "T2" })
  })

  it("basic/three_matmuls_annotated.yaml", () => {
    const data = load(resolve(workloads, "basic/three_matmuls_annotated.yaml"))
    expect(data.workload.rank_sizes).toEqual({ M: 128, N0: 128, N1: 128, N2: 128, N3: 128 })
    expect(data.workload.persistent_tensors).toBe("weight - Intermediates")
    expect(data.workload.einsums.map((e: any) => e.name)).toEqual(["Matmul1", "Matmul2", "Matmul3"])
    expect(data.renames.einsums[0].name).toBe("default")
  })

  it("cnns/mobilenet/mobilenet_28.yaml", () => {
    const w = load(resolve(workloads, "cnns/mobilenet/mobilenet_28.yaml")).workload
    expect(w.rank_sizes).toMatchObject({ B: 1, P0: 28, Q0: 28, N0: 24, T0: 192 })
    const depthwise = w.einsums.find((e: any) => e.name === "Depthwise0")
    expect(depthwise.tensor_accesses[0].projection).toEqual({ P0: "p1 + r0", Q0: "q1 + s0", T0: "t0", B: "b" })
  })

  describe("transformers (include() composition)", () => {
    it("gpt3_6.7B.yaml prefill", () => {
      const data = load(resolve(workloads, "transformers/gpt/gpt3_6.7B.yaml"), { BATCH_SIZE: 1, DECODE: false, N_NEW_TOKENS: 2048 })
      const w = data.workload
      expect(w.rank_sizes).toEqual({ P: 2048, M: 2048, B: 1, H: 32, E: 128, F: 128, D: 4096, G: 4096, C: 16384, J: 4096 })
      expect(w.bits_per_value).toEqual({ All: 16 })
      // A nested list: attention einsums, then feedforward einsums.
      expect(w.einsums.map((e: Array<unknown>) => e.length)).toEqual([8, 2])
      const strings = einsumStrings(w.einsums)
      expect(strings.slice(0, 4)).toEqual([
        "I[b, m, d] = I_in[b, m, d]",
        "V[b, m, h, e] = I[b, m, d] * WV[h, e, d]",
        "K[b, m, h, e] = I[b, m, d] * WK[h, e, d]",
        "Q[b, m, h, e] = I[b, m, d] * WQ[h, e, d]"
      ])
      expect(strings).toContain("QK[b, m, p, h] = Q[b, m, h, e] * K[b, M: p, h, e]")
      expect(strings).toContain("FFB[b, m, j] = FFA[b, m, c] * WFFB[c, j]")
      expect(w.einsums[0][1]).toBeInstanceOf(LiteralString)
      expect(w.einsums[0][0].is_copy_operation).toBe(true)
      expect(data.renames.einsums[0].tensor_accesses[2]).toEqual({ name: "weight", source: "~(input | output)", expected_count: "1 if len(All) == 3 else 0" })
    })

    it("gpt3_175B.yaml decode", () => {
      const w = load(resolve(workloads, "transformers/gpt/gpt3_175B.yaml"), { BATCH_SIZE: 1, DECODE: true, N_CACHED_TOKENS: 2047, N_NEW_TOKENS: 1 }).workload
      expect(w.rank_sizes).toMatchObject({ P: 2047, M: 1, H: 96, D: 12288, C: 49152 })
      expect(einsumStrings(w.einsums)).toContain("QK[b, m, p, h] = Q[b, m, h, e] * K_cache[b, P: p, h, e]")
    })

    it("gpt3_6.7B.yaml: the MAX_N_TOKENS assert and a missing variable fail", () => {
      const file = resolve(workloads, "transformers/gpt/gpt3_6.7B.yaml")
      expect(failure(file, { BATCH_SIZE: 1, DECODE: false, N_NEW_TOKENS: 4096 }).reason).toContain("N_NEW_TOKENS exceeds MAX_N_TOKENS")
      expect(failure(file, { BATCH_SIZE: 1, N_NEW_TOKENS: 16 }).reason).toContain("'DECODE' is undefined")
    })

    it("llama3_8B.yaml and qwen3_8B.yaml (grouped query + gated linear unit)", () => {
      const llama = load(resolve(workloads, "transformers/llama/llama3_8B.yaml"), prefill).workload
      expect(llama.rank_sizes).toMatchObject({ P: 256, M: 256, HKV: 8, HQ: 4, D: 4096, C: 14336 })
      expect(einsumStrings(llama.einsums)).toHaveLength(12)
      expect(einsumStrings(llama.einsums)).toContain("FFG[b, m, c] = Z[b, m, g] * WFFG[g, c]")
      const qwen = load(resolve(workloads, "transformers/qwen/qwen3_8B.yaml"), prefill).workload
      expect(qwen.rank_sizes).toMatchObject({ HKV: 8, HQ: 4, C: 12288 })
    })

    it("deepseek_v3_671B.yaml (latent attention + MoE)", () => {
      const w = load(resolve(workloads, "transformers/deepseek/deepseek_v3_671B.yaml"), prefill).workload
      expect(w.rank_sizes).toMatchObject({ H: 128, LQ: 1536, LKV: 512, D: 7168, X: 256, XT: "ceil(256*8/X)" })
      expect(w.bits_per_value).toMatchObject({ CKV: 16, Q_latent: 16, SFG: 16, Other: 8 })
      expect(w.bits_per_value).not.toHaveProperty("CKV_cache")
      expect(einsumStrings(w.einsums)).toHaveLength(21)
    })

    it("mamba.yaml", () => {
      const w = load(resolve(workloads, "transformers/mamba/mamba.yaml")).workload
      expect(w.rank_sizes).toEqual({ B: 1, D: "128*32", N: 128, R: 128 })
      expect(einsumStrings(w.einsums)[0]).toBe("B[b, n] = WB[d, n] * X[b, d]")
    })

    it("llama4_maverick.yaml with chunked attention and callables in the data", () => {
      const vars = { ...prefill, ATTENTION_TYPE: "chunked_local", CHUNK_SIZE: 64, ceil: Math.ceil, max: Math.max }
      const w = load(resolve(workloads, "transformers/llama/llama4_maverick.yaml"), vars).workload
      expect(einsumStrings(w.einsums).length).toBeGreaterThan(10)
      expect(failure(resolve(workloads, "transformers/llama/llama4_maverick.yaml"), { ...prefill, ATTENTION_TYPE: "other" }).reason)
        .toContain("ATTENTION_TYPE must be")
    })
  })

  describe("AccelForge test inputs", () => {
    const files = globSync(`${accelforge}/tests/**/*.yaml`).sort()
    const vars = { N_EINSUMS: 2, M_TILE: 4, MAC_TILE: 2 }

    it.each(files.map((f) => [relative(accelforge, f), f]))("%s", (_, file) => {
      const data = load(file, vars)
      expect(Object.keys(data).length).toBeGreaterThan(0)
    })

    it("toll.arch.yaml, the network arch and the networked mapping", () => {
      const toll = load(resolve(accelforge, "tests/input_files/toll.arch.yaml")).arch.nodes
      expect(nodeNamed(toll, "Toll")).toMatchObject({ [TAG_KEY]: "Toll", direction: "up_and_down", actions: [{ name: "read", energy: 100, latency: 0 }] })
      expect(nodeNamed(toll, "main_memory").size).toBe(1e9)
      const flat = load(resolve(accelforge, "tests/network/input_files/networked/flat.yaml")).arch.nodes
      expect(flat.map((n: any) => n[TAG_KEY])).toContain("Array")
      const mapping = load(resolve(accelforge, "tests/network/input_files/networked/one_matmul_to_flat.yaml"), vars).mapping.nodes
      expect(mapping.filter((n: any) => n[TAG_KEY] === "Spatial").map((n: any) => n.tile_shape)).toEqual([2, 2])
      expect(mapping.find((n: any) => n[TAG_KEY] === "Temporal").tile_shape).toBe(4)
    })
  })
})
