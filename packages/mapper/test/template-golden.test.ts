/**
 * Every template of the bench's arches and workloads, pinned: a digest of each case's templates
 * in order (their nodes, fused labels, loop bounds and min usage). Template generation is cold
 * code on every search's clock, so it gets rewritten for speed; a rewrite must give the very
 * same templates, in the same order, which the counts of templates.test.ts alone do not show.
 * The digests were taken from the generation before its rewrite (gap variables over flags,
 * the loop orders' product without a generator). A change meant to alter templates updates them.
 */
import { createHash } from "node:crypto"
import { existsSync } from "node:fs"
import { resolve } from "node:path"
import { Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import { loadSpec, resolveAll } from "@effect-accelforge/core"
import { describeTemplate, einsumFacts, einsumTemplates, sharedTensors } from "../src/index.ts"

const REPO = resolve(import.meta.dirname, "../../..")
const AF = resolve(REPO, "../shared/reference/accelforge")

/** The digest of a spec's templates, every Einsum's in workload order. */
const templatesDigest = async (files: ReadonlyArray<string>, variables: Record<string, unknown>, overrides: ReadonlyArray<string>): Promise<string> => {
  const loaded = await Effect.runPromise(loadSpec({ files, variables, overrides }))
  const contexts = resolveAll(loaded)
  if (Result.isFailure(contexts)) throw contexts.failure
  const shared = sharedTensors(loaded.workload.einsums)
  const hash = createHash("sha256")
  for (const ctx of contexts.success) {
    for (const t of einsumTemplates(ctx, einsumFacts(ctx, shared), loaded.spec.mapper)) {
      hash.update(`${ctx.einsum.name} ${t.index}: ${describeTemplate(t)} ${JSON.stringify(t.loopBounds)} ${JSON.stringify(t.minUsage)}\n`)
    }
  }
  return hash.digest("hex").slice(0, 16)
}

const FUSED = ["mapper.metrics=ENERGY_DELAY_PRODUCT", "mapper.max_fused_loops=1"]
const own = (arch: string, workload: string) => [resolve(REPO, `examples/arches/${arch}.yaml`), resolve(REPO, `examples/workloads/${workload}.yaml`)]
const af = (arch: string, workload: string) => [resolve(AF, `examples/arches/${arch}.yaml`), resolve(AF, `examples/workloads/${workload}.yaml`)]

const OWN: ReadonlyArray<[string, ReadonlyArray<string>, Record<string, unknown>, ReadonlyArray<string>, string]> = [
  ["two_level × transformer_block", own("two_level", "transformer_block"), {}, [], "eb65e266d18ffadf"],
  ["two_level × matmul_chain 4, explore_loop_orders", own("two_level", "matmul_chain"), { LAYERS: 4 }, ["mapper.explore_loop_orders=true"], "639bdc013d86b3b8"],
  ["systolic_tpu_like × matmul_chain 2 (EDP)", own("systolic_tpu_like", "matmul_chain"), { LAYERS: 2 }, ["mapper.metrics=ENERGY_DELAY_PRODUCT"], "439c03acf90f4bf9"],
  ["overlap_demo × producer_consumer_cascade", own("overlap_demo", "producer_consumer_cascade"), {}, [], "fc6d6996279a7a6f"]
]
const MATMULS = { KN: 64, M: 64, N_EINSUMS: 2 }
const DECODE = { BATCH_SIZE: 1, DECODE: true, N_CACHED_TOKENS: 2047, N_NEW_TOKENS: 1 }
const REFERENCE: ReadonlyArray<[string, ReadonlyArray<string>, Record<string, unknown>, ReadonlyArray<string>, string]> = [
  ["simple matmuls fused", af("simple", "basic/matmuls"), MATMULS, FUSED, "a2bb20b561b35b65"],
  ["simple matmuls unfused", af("simple", "basic/matmuls"), MATMULS, [...FUSED, "arch.nodes.0.tensors.keep=All"], "f70cede9de053e19"],
  ["tpu_v4i matmuls fused", af("tpu_v4i", "basic/matmuls"), MATMULS, FUSED, "33faaebb83859383"],
  ["eyeriss matmuls fused", af("eyeriss_resolved", "basic/matmuls"), MATMULS, FUSED, "a41a01c50ebb18f1"],
  ["simba three_matmuls fused", af("simba_resolved", "basic/three_matmuls_annotated"), {}, FUSED, "2a4a47af277cb39b"],
  ["simba gpt3_6.7B decode fused", af("simba_resolved", "transformers/gpt/gpt3_6.7B"), DECODE, FUSED, "b475d637822ba7e7"]
]

describe("every template of the bench's cases, as generated before the rewrite", () => {
  for (const [name, files, variables, overrides, digest] of OWN) {
    it(name, async () => expect(await templatesDigest(files, variables, overrides)).toBe(digest))
  }
  describe.skipIf(!existsSync(AF))("AccelForge's arches", () => {
    for (const [name, files, variables, overrides, digest] of REFERENCE) {
      it(name, async () => expect(await templatesDigest(files, variables, overrides)).toBe(digest))
    }
  })
})
