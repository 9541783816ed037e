/**
 * The bench cases, shared by `bench/run.ts` (the table), `bench/overlap.ts` (each overlap mode)
 * and anything else that measures the mapper: the project's own examples and, when ../shared is
 * present, AccelForge's reference cases with the regression settings.
 */
import { existsSync } from "node:fs"
import { resolve } from "node:path"

export const ROOT = resolve(import.meta.dirname, "..")
export const AF = resolve(ROOT, "../shared/reference/accelforge")

export interface Case {
  readonly name: string
  readonly files: ReadonlyArray<string>
  readonly variables: Record<string, unknown>
  readonly overrides: ReadonlyArray<string>
}

const own = (arch: string, workload: string, variables: Record<string, unknown>, overrides: ReadonlyArray<string> = []): Case => ({
  name: `${arch} × ${workload}${Object.keys(variables).length > 0 ? ` ${JSON.stringify(variables)}` : ""}${overrides.length > 0 ? ` ${overrides.join(" ")}` : ""}`,
  files: [resolve(ROOT, `examples/arches/${arch}.yaml`), resolve(ROOT, `examples/workloads/${workload}.yaml`)],
  variables,
  overrides
})

const reference = (name: string, arch: string, workload: string, variables: Record<string, unknown>, overrides: ReadonlyArray<string>): Case => ({
  name, files: [resolve(AF, `examples/arches/${arch}.yaml`), resolve(AF, `examples/workloads/${workload}.yaml`)], variables, overrides
})

const UNFUSED = "arch.nodes.0.tensors.keep=All"
const TRANSFORMER = { BATCH_SIZE: 1, DECODE: false, N_NEW_TOKENS: 256 }
const MATMULS = { KN: 64, M: 64, N_EINSUMS: 2 }
const EDP = ["mapper.metrics=ENERGY_DELAY_PRODUCT", "mapper.max_fused_loops=1", UNFUSED]

const FUSED = ["mapper.metrics=ENERGY_DELAY_PRODUCT", "mapper.max_fused_loops=1"]
const DECODE = { BATCH_SIZE: 1, DECODE: true, N_CACHED_TOKENS: 2047, N_NEW_TOKENS: 1 }
const PREFILL = { BATCH_SIZE: 1, DECODE: false, N_NEW_TOKENS: 2048 }

// The scaling series: fused matmul chains of 2..64 Einsums (time per Einsum should stay flat).
const chains = [2, 4, 8, 16, 32, 64].map((layers) => ({ ...own("two_level", "matmul_chain", { LAYERS: layers }), name: `chain of ${layers} matmuls (two_level, energy)` }))

export const cases: Array<Case> = [
  ...chains,
  own("systolic_tpu_like", "matmul_chain", { LAYERS: 2 }, ["mapper.metrics=ENERGY_DELAY_PRODUCT"]),
  own("two_level", "transformer_block", {})
]
if (existsSync(AF)) {
  cases.push(
    reference("simple matmuls fused (EDP)", "simple", "basic/matmuls", MATMULS, FUSED),
    reference("tpu_v4i matmuls fused (EDP)", "tpu_v4i", "basic/matmuls", MATMULS, FUSED),
    reference("eyeriss matmuls fused (EDP)", "eyeriss_resolved", "basic/matmuls", MATMULS, FUSED),
    reference("simba three_matmuls fused (EDP)", "simba_resolved", "basic/three_matmuls_annotated", {}, FUSED),
    reference("simple gpt3_175B decode fused (EDP)", "simple", "transformers/gpt/gpt3_175B", DECODE, FUSED),
    reference("simba gpt3_6.7B decode fused (EDP)", "simba_resolved", "transformers/gpt/gpt3_6.7B", DECODE, FUSED),
    reference("eyeriss gpt3_6.7B prefill 2048 fused (EDP)", "eyeriss_resolved", "transformers/gpt/gpt3_6.7B", PREFILL, FUSED),
    // The slowest public case; the limits stop a regression in speed or memory from running for hours.
    reference("tpu_v4i gpt3_175B prefill 2048 fused (EDP, 600 s / 8 GB limits)", "tpu_v4i", "transformers/gpt/gpt3_175B", PREFILL, [...FUSED, "mapper.time_limit=600", "mapper.memory_limit=8e9"]),
    reference("snowcat matmuls unfused (energy)", "snowcat", "basic/matmuls", MATMULS, [UNFUSED]),
    reference("snowcat mobilenet_28 unfused (energy)", "snowcat", "cnns/mobilenet/mobilenet_28", {}, [UNFUSED]),
    reference("snowcat gpt3_6.7B prefill 256 unfused (energy)", "snowcat", "transformers/gpt/gpt3_6.7B", TRANSFORMER, [UNFUSED]),
    reference("snowcat deepseek_v3_671B prefill 256 unfused (energy)", "snowcat", "transformers/deepseek/deepseek_v3_671B", TRANSFORMER, [UNFUSED]),
    reference("simple matmuls unfused (EDP)", "simple", "basic/matmuls", MATMULS, EDP),
    reference("tpu_v4i matmuls unfused (EDP)", "tpu_v4i", "basic/matmuls", MATMULS, EDP),
    reference("eyeriss matmuls unfused (EDP)", "eyeriss_resolved", "basic/matmuls", MATMULS, EDP),
    reference("fanout at_mac (latency)", "fanout_variations/at_mac", "basic/matmuls", { N_EINSUMS: 1, M: 64, KN: 64 }, ["mapper.metrics=LATENCY"])
  )
}

