/**
 * Properties of the model on random small matmul chains with random valid mappings.
 */
import { Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { evaluateMapping, type EvaluationResult, InvalidMappingError } from "../src/index.ts"
import { chainArb, type ChainPlan, intermediates, nEinsums, specOf } from "./chain-fixtures.ts"

const evaluate = (p: ChainPlan, options: Parameters<typeof specOf>[1] = {}) => evaluateMapping(specOf(p, options))

const ok = (p: ChainPlan, options: Parameters<typeof specOf>[1] = {}): EvaluationResult => {
  const r = evaluate(p, options)
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}

const relClose = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))

const RUNS = { numRuns: 150, seed: 20261121 }

describe("model properties on random matmul chains", () => {
  it("compute actions equal each Einsum's op count", () => {
    fc.assert(fc.property(chainArb, (p) => {
      const r = ok(p)
      for (let i = 0; i < nEinsums(p); i++) {
        const ops = p.m * p.widths[i]! * p.widths[i + 1]!
        const compute = r.actions.filter((a) => a.einsum === `E${i}` && a.action === "compute")
        expect(compute).toHaveLength(1)
        expect(compute[0]!.value).toBeCloseTo(ops, 9)
      }
    }), RUNS)
  })

  it("every input is read at its backing memory at least once per value", () => {
    fc.assert(fc.property(chainArb, (p) => {
      const r = ok(p)
      const inter = intermediates(p)
      for (let i = 0; i < nEinsums(p); i++) {
        for (const [tensor, size] of [[`T${i}`, p.m * p.widths[i]!], [`W${i}`, p.widths[i]! * p.widths[i + 1]!]] as const) {
          const backing = p.fused && inter.includes(tensor) ? "Buffer" : "DRAM"
          const readBits = r.actions.find((a) => a.einsum === `E${i}` && a.component === backing && a.tensor === tensor && a.action === "read")!.value
          expect(readBits / 8).toBeGreaterThanOrEqual(size - 1e-9)
        }
      }
    }), RUNS)
  })

  it("doubling every energy doubles total energy and leaves latency unchanged", () => {
    fc.assert(fc.property(chainArb, (p) => {
      const once = ok(p)
      const twice = ok(p, { energyScale: 2 })
      expect(relClose(twice.energy, 2 * once.energy)).toBe(true)
      expect(twice.latency).toBe(once.latency)
      expect(twice.latencyBreakdown).toEqual(once.latencyBreakdown)
    }), RUNS)
  })

  it("a Buffer too small for what it must hold at once is reported, never accepted", () => {
    fc.assert(fc.property(chainArb, (p) => {
      const r = ok(p)
      const need = Array.from({ length: nEinsums(p) }, (_, i) => {
        const own = r.memoryUsage.filter((u) => u.einsum === `E${i}` && u.component === "Buffer").reduce((s, u) => s + u.bits, 0)
        expect(own).toBe(expectedBufferBits(p, i))
        return own + foreignIntermediateBits(p, i)
      })
      const most = Math.max(...need)
      fc.pre(most > 0)
      const tooSmall = evaluate(p, { bufferSize: most - 1 })
      expect(Result.isFailure(tooSmall)).toBe(true)
      if (Result.isFailure(tooSmall)) {
        expect(tooSmall.failure).toBeInstanceOf(InvalidMappingError)
        expect(tooSmall.failure.message).toMatch(/capacity exceeded: Buffer/)
      }
      expect(Result.isSuccess(evaluate(p, { bufferSize: most }))).toBe(true)
    }), RUNS)
  })
})

const rankVariablesOf = (tensor: string, i: number): ReadonlyArray<string> =>
  tensor === `T${i}` ? ["m", `n${i}`] : tensor === `W${i}` ? [`n${i}`, `n${i + 1}`] : ["m", `n${i + 1}`]

const sizeOf = (p: ChainPlan, tensor: string): number => p.m * p.widths[Number(tensor.slice(1))]!

/**
 * An independent account of the Buffer's occupancy in Einsum i (model §1.5): a branch-level
 * Buffer tile is the outer tiles, shrunk to 1 along the tile-1 loops directly below it that
 * index the tensor. Anything else stops the shrinking: a loop over another rank variable, a
 * spatial loop of another component, or another holder — so of a `!Storage` naming several
 * tensors (split into one holder per tensor, in order) only the last one shrinks. A fused
 * intermediate kept above the split is held whole.
 */
const expectedBufferBits = (p: ChainPlan, i: number): number => {
  const b = p.branches[i]!
  let bits = 0
  for (const [k, tensor] of b.buffered.entries()) {
    const rvs = rankVariablesOf(tensor, i)
    const shape = new Map(b.outer)
    if (b.spatial === undefined && k === b.buffered.length - 1) {
      for (const v of b.inner) {
        if (!rvs.includes(v)) break
        shape.set(v, 1)
      }
    }
    bits += rvs.reduce((s, v) => s * shape.get(v)!, 1) * 8
  }
  const fusedHere = p.fused ? intermediates(p).filter((t) => t === `T${i}` || t === `T${i + 1}`) : []
  return bits + fusedHere.reduce((s, t) => s + sizeOf(p, t) * 8, 0)
}

/**
 * Intermediates kept in the Buffer above the split for the other Einsums while Einsum i runs:
 * a buffer at the split is held from its tensor's first user to its last (T{j} from E{j-1},
 * which writes it, to E{j}, which reads it), so in a chain no other Einsum's intermediate is
 * live while E{i} runs.
 */
const foreignIntermediateBits = (p: ChainPlan, i: number): number =>
  (p.fused ? intermediates(p) : [])
    .filter((t) => t !== `T${i}` && t !== `T${i + 1}`)
    .filter((t) => Number(t.slice(1)) - 1 <= i && i <= Number(t.slice(1)))
    .reduce((s, t) => s + sizeOf(p, t) * 8, 0)
