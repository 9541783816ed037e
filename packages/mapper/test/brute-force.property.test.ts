/**
 * The per-Einsum search against brute force: on tiny random matrix-vector Einsums and
 * two-level arches (a DRAM that backs everything, a small buffer that may keep any subset),
 * the mapper's best energy equals the minimum over the whole mapspace: every subset of
 * tensors in the buffer, every order of the buffer's nodes, every order of every rank
 * variable in every gap between storage nodes, and every divisor chain of tile shapes —
 * scored by the model directly, with no template reductions.
 */
import { Effect, Result } from "effect"
import fc from "fast-check"
import { describe, expect, it, vi } from "vitest"
import { type EinsumContext, type LoadedSpec, loadSpec, type MappingNode, resolveEinsum } from "@effect-accelforge/core"
import { analyzeEinsum, buildPmapping, einsumMetrics, InvalidMappingError, memoryUsage, spatialUsage } from "@effect-accelforge/model"
import { divisorChains, powerset } from "../src/index.ts"
import { mapSpec } from "./support/run-mapper.ts"
import { writeFileSync, mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

import { NO_TIME_LIMIT } from "./support/no-time-limit.ts"

// CPU-bound properties with fixed seeds and run counts: no wall-clock limit (a loaded machine is slow, not wrong).
vi.setConfig({ testTimeout: 0 })

interface Case {
  readonly m: number
  readonly k: number
  readonly bufferBits: number
  readonly dram: number
  readonly buffer: number
}

const specText = (c: Case): string => `
arch:
  nodes:
  - !Memory
    name: DRAM
    size: inf
    leak_power: 0
    area: 0
    tensors: {keep: All}
    actions: [{name: read, energy: ${c.dram}, throughput: 1}, {name: write, energy: ${c.dram}, throughput: 1}]
  - !Memory
    name: Buffer
    size: ${c.bufferBits}
    leak_power: 0
    area: 0
    tensors: {may_keep: All}
    actions: [{name: read, energy: ${c.buffer}, throughput: 4}, {name: write, energy: ${c.buffer}, throughput: 4}]
  - !Compute
    name: MAC
    leak_power: 0
    area: 0
    actions: [{name: compute, energy: 1, throughput: 1}]
workload:
  bits_per_value: {All: 8}
  rank_sizes: {M: ${c.m}, K: ${c.k}}
  einsums:
  - name: MV
    tensor_accesses:
    - {name: W, projection: [m, k]}
    - {name: X, projection: [k]}
    - {name: Y, projection: [m], output: true}
mapper: {metrics: ENERGY}
`

const permutations = <T>(items: ReadonlyArray<T>): Array<Array<T>> =>
  items.length <= 1 ? [[...items]] : items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p]))

function* product<T>(lists: ReadonlyArray<ReadonlyArray<T>>): Generator<Array<T>> {
  if (lists.length === 0) return yield []
  for (const head of lists[0]!) for (const tail of product(lists.slice(1))) yield [head, ...tail]
}

/** Energy of one single-Einsum loop nest, or undefined when it does not fit. */
const energyOf = (ctx: EinsumContext, loaded: LoadedSpec, nodes: ReadonlyArray<MappingNode>): number | undefined => {
  const compute = { $tag: "Compute", einsum: "MV", component: "MAC" } as const
  const path = { einsum: "MV", nodes: [...nodes, compute].map((node, i) => ({ node: node as never, path: ["mapping", String(i)] })), branches: [], compute, computePath: ["mapping", "c"] }
  try {
    const analysis = analyzeEinsum(buildPmapping(path, ctx, new Set(["W", "X", "Y"])))
    spatialUsage(analysis)
    const held = memoryUsage(analysis).filter((u) => u.component === "Buffer").reduce((s, u) => s + u.bits, 0)
    if (held > ctx.components.find((c) => c.name === "Buffer")!.size!) return undefined
    return einsumMetrics(analysis, loaded.spec.arch.nodes, { variables: loaded.variables, archVariables: ctx.archVariables }).summary.energy
  } catch (e) {
    if (e instanceof InvalidMappingError) return undefined
    throw e
  }
}

const bruteForce = (ctx: EinsumContext, loaded: LoadedSpec): number => {
  const variables = ctx.einsum.rankVariables.filter((r) => r.bound > 1).map((r) => r.variable).sort()
  let best = Infinity
  const storage = (component: string, tensor: string): MappingNode => ({ $tag: "Storage", tensors: [tensor], component, persistent: false })
  for (const kept of powerset(["W", "X", "Y"])) {
    for (const order of permutations(kept)) {
      const groups: Array<Array<MappingNode>> = [["W", "X", "Y"].map((t) => storage("DRAM", t)), ...order.map((t) => [storage("Buffer", t)])]
      const gaps = groups.length
      for (const loopOrders of product(groups.map(() => permutations(variables)))) {
        const chains = variables.map((v) => {
          const flat = divisorChains(ctx.einsum.bounds.get(v)!, gaps)
          return Array.from({ length: flat.length / gaps }, (_, i) => Array.from(flat.subarray(i * gaps, (i + 1) * gaps)))
        })
        for (const tiles of product(chains)) {
          const nodes: Array<MappingNode> = []
          groups.forEach((group, g) => {
            nodes.push(...group)
            for (const v of loopOrders[g]!) nodes.push({ $tag: "Temporal", rank_variable: v, tile_shape: tiles[variables.indexOf(v)]![g]! })
          })
          const energy = energyOf(ctx, loaded, nodes)
          if (energy !== undefined && energy < best) best = energy
        }
      }
    }
  }
  return best
}

const dir = mkdtempSync(join(tmpdir(), "brute-force-"))

describe("per-Einsum search equals brute force", () => {
  it("on tiny matrix-vector Einsums and two-level arches", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          m: fc.constantFrom(1, 2, 3, 4),
          k: fc.constantFrom(1, 2, 4),
          bufferBits: fc.constantFrom(8, 16, 24, 40, 64, 1000),
          dram: fc.integer({ min: 5, max: 100 }),
          buffer: fc.integer({ min: 1, max: 4 })
        }),
        async (c) => {
          const file = join(dir, `spec-${c.m}-${c.k}-${c.bufferBits}-${c.dram}-${c.buffer}.yaml`)
          writeFileSync(file, specText(c))
          const loaded = await Effect.runPromise(loadSpec({ files: [file], variables: {}, overrides: [] }))
          const ctx = resolveEinsum(loaded, "MV")
          if (Result.isFailure(ctx)) throw ctx.failure
          const expected = bruteForce(ctx.success, loaded)
          const found = await mapSpec(loaded)
          expect(found.evaluation.energy).toBeCloseTo(expected, 6)
        }
      ),
      { numRuns: 25 }
    )
  }, NO_TIME_LIMIT)
})
