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
  /** The case's key in AccelForge's timings on this machine (peer_timings.json), when it was timed there. */
  readonly peer?: string
  /** Also time the whole `run` command (a fresh CLI process), as the peer timings and a target do. */
  readonly process?: boolean
}

const own = (arch: string, workload: string, variables: Record<string, unknown>, overrides: ReadonlyArray<string> = []): Case => ({
  name: `${arch} × ${workload}${Object.keys(variables).length > 0 ? ` ${JSON.stringify(variables)}` : ""}${overrides.length > 0 ? ` ${overrides.join(" ")}` : ""}`,
  files: [resolve(ROOT, `examples/arches/${arch}.yaml`), resolve(ROOT, `examples/workloads/${workload}.yaml`)],
  variables,
  overrides
})

const reference = (name: string, arch: string, workload: string, variables: Record<string, unknown>, overrides: ReadonlyArray<string>, peer?: string): Case => ({
  name, files: [resolve(AF, `examples/arches/${arch}.yaml`), resolve(AF, `examples/workloads/${workload}.yaml`)], variables, overrides,
  ...(peer === undefined ? {} : { peer, process: true })
})

/** One matmul (examples/workloads/matmul.yaml) on one of AccelForge's arches. */
const matmul = (name: string, arch: string, variables: Record<string, unknown>, overrides: ReadonlyArray<string>): Case => ({
  name, files: [resolve(AF, `examples/arches/${arch}.yaml`), resolve(ROOT, "examples/workloads/matmul.yaml")], variables, overrides, process: true
})

const UNFUSED = "arch.nodes.0.tensors.keep=All"
const TRANSFORMER = { BATCH_SIZE: 1, DECODE: false, N_NEW_TOKENS: 256 }
const MATMULS = { KN: 64, M: 64, N_EINSUMS: 2 }
const EDP = ["mapper.metrics=ENERGY_DELAY_PRODUCT", "mapper.max_fused_loops=1", UNFUSED]

const FUSED = ["mapper.metrics=ENERGY_DELAY_PRODUCT", "mapper.max_fused_loops=1"]
const DECODE = { BATCH_SIZE: 1, DECODE: true, N_CACHED_TOKENS: 2047, N_NEW_TOKENS: 1 }
const PREFILL = { BATCH_SIZE: 1, DECODE: false, N_NEW_TOKENS: 2048 }

/** The scaling series' sizes: fused matmul chains of 2..256 Einsums (time per Einsum should stay flat). */
export const CHAIN_LAYERS = [2, 4, 8, 16, 32, 64, 128, 256] as const
export const chainName = (layers: number): string => `chain of ${layers} matmuls (two_level, energy)`
// The long chains get limits, as the 175B case has, so a slow join ends the bench's case instead of hanging it.
const CHAIN_LIMITS = ["mapper.time_limit=600", "mapper.memory_limit=8e9"]
const chains = CHAIN_LAYERS.map((layers) => ({ ...own("two_level", "matmul_chain", { LAYERS: layers }, layers > 64 ? CHAIN_LIMITS : []), name: chainName(layers) }))

/** The cases issue 17's targets name (bench/targets.ts). */
export const TARGET_CASES = {
  gpt3_175B: "tpu_v4i gpt3_175B prefill 2048 fused (EDP, 600 s / 8 GB limits)",
  transformer: "two_level × transformer_block",
  bigMatmul: "tpu_v4i matmul 2048x4096x4096 16-bit (energy)",
  smallMatmul: "simple matmul 64x64x64 (energy)",
  /** The GPT-3 cases whose per-Einsum search is large enough for a rate to mean something (the small ones are mostly set-up). */
  rowRate: ["eyeriss gpt3_6.7B prefill 2048 fused (EDP)", "tpu_v4i gpt3_175B prefill 2048 fused (EDP, 600 s / 8 GB limits)"]
} as const

export const cases: Array<Case> = [
  ...chains,
  own("systolic_tpu_like", "matmul_chain", { LAYERS: 2 }, ["mapper.metrics=ENERGY_DELAY_PRODUCT"]),
  { ...own("two_level", "transformer_block", {}), name: TARGET_CASES.transformer }
]
if (existsSync(AF)) {
  cases.push(
    reference("simple matmuls fused (EDP)", "simple", "basic/matmuls", MATMULS, FUSED, "simple|matmuls|KN=64,M=64,N_EINSUMS=2|fused"),
    reference("tpu_v4i matmuls fused (EDP)", "tpu_v4i", "basic/matmuls", MATMULS, FUSED, "tpu_v4i|matmuls|KN=64,M=64,N_EINSUMS=2|fused"),
    reference("eyeriss matmuls fused (EDP)", "eyeriss_resolved", "basic/matmuls", MATMULS, FUSED),
    reference("simba three_matmuls fused (EDP)", "simba_resolved", "basic/three_matmuls_annotated", {}, FUSED, "simba|three_matmuls_annotated||fused"),
    reference("simple gpt3_175B decode fused (EDP)", "simple", "transformers/gpt/gpt3_175B", DECODE, FUSED),
    reference("simba gpt3_6.7B decode fused (EDP)", "simba_resolved", "transformers/gpt/gpt3_6.7B", DECODE, FUSED),
    reference(TARGET_CASES.rowRate[0], "eyeriss_resolved", "transformers/gpt/gpt3_6.7B", PREFILL, FUSED, "eyeriss|gpt3_6.7B|BATCH_SIZE=1,DECODE=False,N_NEW_TOKENS=2048|fused"),
    // The slowest public case; the limits stop a regression in speed or memory from running for hours.
    reference(TARGET_CASES.gpt3_175B, "tpu_v4i", "transformers/gpt/gpt3_175B", PREFILL, [...FUSED, "mapper.time_limit=600", "mapper.memory_limit=8e9"], "tpu_v4i|gpt3_175B|BATCH_SIZE=1,DECODE=False,N_NEW_TOKENS=2048|fused"),
    // Single matmuls of issue 17's targets: Timeloop's large example shape at 16 bits, and a small one whose process time is mostly start-up.
    matmul(TARGET_CASES.bigMatmul, "tpu_v4i", { M: 2048, K: 4096, N: 4096, BITS: 16 }, ["mapper.metrics=ENERGY"]),
    matmul(TARGET_CASES.smallMatmul, "simple", {}, ["mapper.metrics=ENERGY"]),
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

