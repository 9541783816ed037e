/**
 * Tiny random specs for the search-strategy properties: one matmul, or two chained, on a DRAM,
 * a buffer of random size and a spatial array whose fanout, min_usage and loop bounds vary,
 * fused or not, for energy, latency or EDP. Small enough to enumerate every mapping.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import fc from "fast-check"
import { type LoadedSpec, loadSpec } from "@effect-accelforge/core"

export interface CascadeCase {
  readonly m: number
  readonly k: number
  readonly n: number
  readonly j: number
  readonly einsums: 1 | 2
  readonly bufferBits: number
  readonly fanout: number
  readonly minUsage: number
  /** A `loop_bounds` on the spatial dimension over every variable but m: none, their product at most 2 or at least 2. */
  readonly loopBound: "none" | "product<=" | "product>="
  readonly fused: boolean
  readonly maxFusedLoops: number
  readonly metric: "ENERGY" | "LATENCY" | "ENERGY_DELAY_PRODUCT"
}

export const cascadeCase: fc.Arbitrary<CascadeCase> = fc.record({
  m: fc.constantFrom(1, 2, 4, 6),
  k: fc.constantFrom(2, 3, 4),
  n: fc.constantFrom(1, 2, 4),
  j: fc.constantFrom(2, 4),
  einsums: fc.constantFrom(1 as const, 2 as const),
  bufferBits: fc.constantFrom(24, 64, 160, 100000),
  fanout: fc.constantFrom(1, 2, 4),
  minUsage: fc.constantFrom(0, 0.5, 1),
  loopBound: fc.constantFrom("none" as const, "product<=" as const, "product>=" as const),
  fused: fc.boolean(),
  maxFusedLoops: fc.constantFrom(1, 2),
  metric: fc.constantFrom("ENERGY" as const, "LATENCY" as const, "ENERGY_DELAY_PRODUCT" as const)
})

export const cascadeSpec = (c: CascadeCase): string => `
arch:
  nodes:
  - !Memory
    name: DRAM
    size: inf
    leak_power: 0
    area: 0
    tensors: {keep: ${c.fused ? "~Intermediates" : "All"}, may_keep: All}
    actions: [{name: read, energy: 100, throughput: 2}, {name: write, energy: 120, throughput: 2}]
  - !Memory
    name: Buffer
    size: ${c.bufferBits}
    leak_power: 0
    area: 0
    tensors: {may_keep: All}
    actions: [{name: read, energy: 2, throughput: 16}, {name: write, energy: 3, throughput: 8}]
  - !Container
    name: PE
    spatial: [{name: X, fanout: ${c.fanout}, min_usage: ${c.minUsage}${c.loopBound === "none" ? "" : `, loop_bounds: [{expression: ~m, operator: ${c.loopBound}, value: 2}]`}}]
  - !Compute
    name: MAC
    leak_power: 0
    area: 0
    actions: [{name: compute, energy: 1, throughput: 1}]
workload:
  bits_per_value: {All: 8}
  rank_sizes: {M: ${c.m}, K: ${c.k}, N: ${c.n}, J: ${c.j}}
  einsums:
  - name: First
    tensor_accesses:
    - {name: A, projection: [m, k]}
    - {name: B, projection: [k, n]}
    - {name: T, projection: [m, n], output: true}
${c.einsums === 1 ? "" : `  - name: Second
    tensor_accesses:
    - {name: T, projection: [m, n]}
    - {name: C, projection: [n, j]}
    - {name: Z, projection: [m, j], output: true}
`}mapper: {metrics: ${c.metric}, max_fused_loops: ${c.maxFusedLoops}}
`

const dir = mkdtempSync(join(tmpdir(), "cascade-"))
let written = 0

/** Write the case's spec to a fresh file and load it (as the CLI would). */
export const loadCase = async (c: CascadeCase, overrides: ReadonlyArray<string> = []): Promise<{ loaded: LoadedSpec; file: string }> => {
  const file = join(dir, `case-${written++}.yaml`)
  writeFileSync(file, cascadeSpec(c))
  const loaded = await Effect.runPromise(loadSpec({ files: [file], variables: {}, overrides }))
  return { loaded, file }
}
