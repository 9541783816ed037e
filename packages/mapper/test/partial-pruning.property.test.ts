/**
 * Pruning partial tile rows on the cost polynomials, and scoring rows from them instead of the
 * model, never changes an Einsum's result: on
 * random small two-matmul cascades on a DRAM, a buffer and a spatial array (fused or not, a spatial array with or without min_usage,
 * buffers that bind or not) every compatibility group's Pareto rows have exactly the same
 * values with pruning at every enumeration step as with validity pruning only.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Result } from "effect"
import fc from "fast-check"
import { describe, expect, it, vi } from "vitest"
import { loadSpec, resolveAll } from "@effect-accelforge/core"
import { generateOptionsOf, generatePmappings, type PmappingTable, searchSetup } from "../src/index.ts"

// CPU-bound properties with fixed seeds and run counts: no wall-clock limit (a loaded machine is slow, not wrong).
vi.setConfig({ testTimeout: 0 })

interface Case {
  readonly m: number
  readonly k: number
  readonly n: number
  readonly j: number
  readonly bufferBits: number
  readonly fanout: number
  readonly minUsage: number
  readonly fused: boolean
  readonly metric: "ENERGY" | "LATENCY" | "ENERGY_DELAY_PRODUCT"
}

const specText = (c: Case): string => `
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
    spatial: [{name: X, fanout: ${c.fanout}, min_usage: ${c.minUsage}}]
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
  - name: Second
    tensor_accesses:
    - {name: T, projection: [m, n]}
    - {name: C, projection: [n, j]}
    - {name: Z, projection: [m, j], output: true}
mapper: {metrics: ${c.metric}, max_fused_loops: 1}
`

/** Per compatibility key, the Pareto rows' values, sorted (which of two equal rows is kept may differ). */
const fronts = (table: PmappingTable): Map<string, Array<string>> =>
  new Map(table.groups.map((g) => [
    g.key,
    Array.from({ length: g.rows }, (_, r) => g.columns.map((c) => c[r]!.toPrecision(12)).join(" ")).sort()
  ]))

const dir = mkdtempSync(join(tmpdir(), "partial-pruning-"))

describe("partial-row pruning", () => {
  it("keeps every Einsum's Pareto front exactly", async () => {
    let pruned = 0
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          m: fc.constantFrom(4, 8, 12),
          k: fc.constantFrom(2, 6, 8),
          n: fc.constantFrom(4, 8),
          j: fc.constantFrom(2, 4, 8),
          bufferBits: fc.constantFrom(256, 1024, 4096, 1 << 20),
          fanout: fc.constantFrom(1, 2, 4),
          minUsage: fc.constantFrom(0, 1),
          fused: fc.boolean(),
          metric: fc.constantFrom("ENERGY" as const, "LATENCY" as const, "ENERGY_DELAY_PRODUCT" as const)
        }),
        async (c) => {
          const file = join(dir, `spec-${Object.values(c).join("-")}.yaml`)
          writeFileSync(file, specText(c))
          const loaded = await Effect.runPromise(loadSpec({ files: [file], variables: {}, overrides: [] }))
          const contexts = resolveAll(loaded)
          if (Result.isFailure(contexts)) throw contexts.failure
          const setup = searchSetup(loaded)
          for (const ctx of contexts.success) {
            const options = generateOptionsOf(loaded, setup, ctx)
            const plain = generatePmappings(ctx, { ...options, partialPruning: false, polynomialScoring: false })
            const withPruning = generatePmappings(ctx, { ...options, partialPruning: true, partialPruningMinRows: 1, polynomialScoring: false })
            const withPolynomials = generatePmappings(ctx, { ...options, partialPruning: true, partialPruningMinRows: 1, polynomialScoring: true })
            expect(fronts(withPruning)).toEqual(fronts(plain))
            expect(fronts(withPolynomials)).toEqual(fronts(plain))
            expect(withPruning.counters.valid).toBeLessThanOrEqual(plain.counters.valid)
            if (withPruning.counters.valid < plain.counters.valid) pruned++
          }
        }
      ),
      { numRuns: 80 }
    )
    // The property says nothing if pruning never removed a row.
    expect(pruned).toBeGreaterThan(20)
  })
})
