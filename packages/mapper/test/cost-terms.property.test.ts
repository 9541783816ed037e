/**
 * One model, two number types: a template's cost terms (the model's analysis run with its tile
 * shapes as symbols) evaluated at a tile row equal the model's own numbers for that row, entry
 * by entry and in both directions (no entry missing on either side, no extra one): every
 * action count, dynamic-energy entry, per-unit call count (with a Network's longest path and
 * busiest link) and reservation. On random small cascades of matmuls, copy Einsums and halo
 * (convolution) Einsums, on random arches with or without a Toll, a spatial fanout and a
 * Network, for random templates and random divisor-chain rows. Where the algebra stops (a
 * maximum the row decides), the terms say why; copies and Tolls never stop it.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import fc from "fast-check"
import { describe, expect, it, vi } from "vitest"
import { loadSpec } from "@effect-accelforge/core"
import { actionKey, analyzeEinsum, composition, costTermsOf, type CostTerms, einsumMetrics, type Value } from "@effect-accelforge/model"
import { rowPmapping, scoreRow } from "../src/evaluate/evaluate-row.ts"
import { analyzeSymbolically, divisors, type LoopSlot, prepareTemplate, searchSetup, type Template, type Term } from "../src/index.ts"

import { NO_TIME_LIMIT } from "./support/no-time-limit.ts"

// CPU-bound properties with fixed seeds and run counts: no wall-clock limit (a loaded machine is slow, not wrong).
vi.setConfig({ testTimeout: 0 })

type Kind = "matmul" | "copy" | "conv"

interface Case {
  readonly kinds: ReadonlyArray<Kind>
  readonly m: number
  readonly widths: ReadonlyArray<number>
  readonly toll: "none" | "up_and_down" | "up" | "down"
  readonly fanout: 1 | 2 | 4
  readonly network: boolean
  readonly vpa: 1 | 2
  /** Which templates and rows to check (indices taken modulo what exists). */
  readonly picks: ReadonlyArray<number>
}

const memory = (name: string, keep: string, vpa = 1) => `
  - !Memory
    name: ${name}
    size: inf
    leak_power: 0
    area: 0
    tensors: {keep: ${keep}, may_keep: All}
    actions: [{name: read, energy: 3, throughput: 4, bits_per_action: ${8 * vpa}}, {name: write, energy: 5, throughput: 2}]`

const archText = (c: Case): string => `
arch:
  nodes:${memory("DRAM", "All")}
${c.toll === "none" ? "" : `  - !Toll
    name: Link
    direction: ${c.toll}
    leak_power: 0
    area: 0
    tensors: {keep: All}
    actions: [{name: read, energy: 7, throughput: 8}]`}${memory("Buffer", "~DRAM", c.vpa)}
${c.network ? `  - !Network
    name: NoC
    area: 0
    leak_power: 0
    actions: [{name: hop, energy: 1, latency: 1, throughput: 4}]` : ""}
${c.fanout === 1 ? "" : `  - !Container
    name: PE
    spatial: [{name: X, fanout: ${c.fanout}}]`}${memory("Register", "Nothing")}
  - !Compute
    name: MAC
    leak_power: 0
    area: 0
    actions: [{name: compute, energy: 1, throughput: 1}]
`

/** Einsum i reads T{i} and writes T{i+1}; T{i} has ranks [M, N{i}]. */
const einsumText = (kind: Kind, i: number): string => {
  if (kind === "copy") {
    return `  - name: E${i}
    is_copy_operation: True
    tensor_accesses:
    - {name: T${i}, projection: [m, n${i}]}
    - {name: T${i + 1}, projection: {M: m, N${i + 1}: n${i}}, output: True}`
  }
  if (kind === "conv") {
    // A sliding window of 2 over N: T{i+1}[m, n] = sum_r T{i}[m, n + r] * F{i}[r] (a halo on T{i}).
    return `  - name: E${i}
    tensor_accesses:
    - {name: T${i}, projection: {M: m, N${i}: n${i + 1} + r${i}}}
    - {name: F${i}, projection: [r${i}]}
    - {name: T${i + 1}, projection: [m, n${i + 1}], output: True}
    iteration_space_shape: [0 <= r${i} < 2]`
  }
  return `  - name: E${i}
    tensor_accesses:
    - {name: T${i}, projection: [m, n${i}]}
    - {name: W${i}, projection: [n${i}, n${i + 1}]}
    - {name: T${i + 1}, projection: [m, n${i + 1}], output: True}`
}

/** Rank sizes that fit each Einsum's kind (a copy keeps N; a convolution's input is one wider). */
const rankSizes = (c: Case): Array<number> => {
  const sizes = [c.widths[0]!]
  c.kinds.forEach((kind, i) => sizes.push(kind === "copy" ? sizes[i]! : kind === "conv" ? Math.max(1, sizes[i]! - 1) : c.widths[i + 1]!))
  return sizes
}

const specText = (c: Case): string => `${archText(c)}
workload:
  bits_per_value: {All: 8}
  rank_sizes: {M: ${c.m}, ${rankSizes(c).map((n, i) => `N${i}: ${n}`).join(", ")}, R: 2}
  einsums:
${c.kinds.map(einsumText).join("\n")}
mapper: {metrics: 3}
`

/** A divisor-chain row (innermost tile of each variable 1) chosen by `picks`. */
const rowOf = (template: Template, picks: ReadonlyArray<number>, salt: number): Float64Array => {
  const loops = template.loopPositions.map((p) => template.nodes[p] as LoopSlot)
  const innermost = new Map<string, number>()
  loops.forEach((l, i) => innermost.set(l.rankVariable, i))
  const outer = new Map(template.context.einsum.bounds)
  return Float64Array.from(loops, (l, i) => {
    if (innermost.get(l.rankVariable) === i) return 1
    const options = divisors(outer.get(l.rankVariable)!)
    const tile = options[picks[(i + salt) % picks.length]! % options.length]!
    outer.set(l.rankVariable, tile)
    return tile
  })
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))

/** Every entry of the model's terms, by a key naming what it is (the numeric model leaves out zero energy entries). */
const entries = <V extends Value>(terms: CostTerms<V>, at: (v: V) => number): Map<string, number> => {
  const out = new Map<string, number>()
  const put = (key: string, v: number) => out.set(key, (out.get(key) ?? 0) + v)
  for (const a of terms.actions) put(`action ${actionKey(a)}`, at(a.value))
  for (const e of terms.energy) put(`energy ${actionKey(e)}`, at(e.value))
  put("dynamic energy", at(terms.dynamicEnergy))
  for (const c of terms.calls) {
    for (const [action, v] of c.calls) put(`calls ${c.component} ${action}`, at(v))
    for (const [action, v] of c.deferred) put(`deferred calls ${c.component} ${action}`, at(v))
    put(`max hops ${c.component}`, at(c.maxHops))
    put(`max link traffic ${c.component}`, at(c.maxLinkTraffic))
  }
  for (const r of terms.reservations) put(`reservation ${r.component} ${r.tensor} depth ${r.loopsAbove} backing ${r.backing}`, at(r.bits))
  return out
}

const dir = mkdtempSync(join(tmpdir(), "cost-terms-"))
let files = 0

const caseArbitrary: fc.Arbitrary<Case> = fc.record({
  kinds: fc.array(fc.constantFrom<Kind>("matmul", "copy", "conv"), { minLength: 1, maxLength: 3 }),
  m: fc.constantFrom(2, 4, 6),
  widths: fc.array(fc.constantFrom(2, 3, 4, 8), { minLength: 4, maxLength: 4 }),
  toll: fc.constantFrom("none" as const, "up_and_down" as const, "up" as const, "down" as const),
  fanout: fc.constantFrom(1 as const, 2 as const, 4 as const),
  network: fc.boolean(),
  vpa: fc.constantFrom(1 as const, 2 as const),
  picks: fc.array(fc.nat(1000), { minLength: 3, maxLength: 8 })
})

/** The case's spec, loaded, and up to 3 templates of each Einsum, picked by the case's `picks`. */
const pickedTemplates = async (c: Case) => {
  const file = join(dir, `case-${files++}.yaml`)
  writeFileSync(file, specText(c))
  const loaded = await Effect.runPromise(loadSpec({ files: [file], variables: {}, overrides: [] }))
  const setup = searchSetup(loaded)
  const picked = setup.contexts.flatMap((ctx, e) => {
    const templates = setup.templates[e]!
    return Array.from({ length: Math.min(3, templates.length) }, (_, k) => ({ ctx, e, k, template: templates[c.picks[k]! % templates.length]! }))
  })
  return { loaded, setup, picked }
}

describe("cost terms as polynomials", () => {
  it("equal the model's numbers at every row, entry by entry, both directions (copies, Tolls, halos, Networks)", async () => {
    const seen = { rows: 0, polynomial: 0, copy: 0, toll: 0, conv: 0, network: 0, stopped: 0, deferred: 0 }
    const reasons = new Set<string>()
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async (c) => {
        const { loaded, setup, picked } = await pickedTemplates(c)
        for (const { ctx, e, k, template } of picked) {
          // In mode writeback the outputs nobody reads have deferred write calls: checked too.
          const prepared = prepareTemplate(template, loaded, composition("writeback"), setup.columns)
          const analysis = analyzeSymbolically(prepared)
          const kind = c.kinds[e]!
          const tolled = template.nodes.some((n) => n.kind === "storage" && n.toll)
          if (!("terms" in analysis.terms)) {
            // The algebra stops only at a row-dependent maximum, which copies and Tolls alone never need.
            expect(c.network, `${ctx.einsum.name}: ${analysis.terms.reason}\n${specText(c)}`).toBe(true)
            expect(analysis.terms.reason.length).toBeGreaterThan(20)
            reasons.add(analysis.terms.reason)
            seen.stopped++
            continue
          }
          const symbolic = analysis.terms.terms
          for (let salt = 0; salt < 3; salt++) {
            const row = rowOf(template, c.picks, salt + k)
            const numeric = costTermsOf(analyzeEinsum(rowPmapping(prepared, row, 0)), prepared.deferrable)
            const got = entries(symbolic, (t: Term) => (typeof t === "number" ? t : t.evaluate(row)))
            const want = entries(numeric, (v: number) => v)
            const where = `${ctx.einsum.name} template ${template.index} row [${[...row]}]\n${specText(c)}`
            for (const [key, v] of want) expect(close(got.get(key) ?? NaN, v), `${key}: terms give ${got.get(key)}, the model ${v}; ${where}`).toBe(true)
            // No extra entry: only energy entries may be absent on the model's side, and only when zero at this row.
            for (const [key, v] of got) if (!want.has(key)) expect(key.startsWith("energy ") && v === 0, `extra ${key} = ${v}; ${where}`).toBe(true)
            seen.rows++
          }
          seen.polynomial++
          if (symbolic.calls.some((calls) => calls.deferred.size > 0)) seen.deferred++
          if (kind === "copy") seen.copy++
          if (kind === "conv") seen.conv++
          if (tolled) seen.toll++
          if (c.network) seen.network++
        }
      }),
      { numRuns: 40, seed: 14_2026 }
    )
    console.info(`cost terms: ${JSON.stringify(seen)}; where the algebra stops: ${[...reasons].join(" | ")}`)
    // The property must have covered what it claims.
    expect(seen.copy).toBeGreaterThan(5)
    expect(seen.deferred).toBeGreaterThan(5)
    expect(seen.toll).toBeGreaterThan(5)
    expect(seen.conv).toBeGreaterThan(5)
    expect(seen.network).toBeGreaterThan(5)
  }, NO_TIME_LIMIT)

  // The model's scoring of a row (templates without polynomial terms, small ones) reads the
  // template's structure, made once, and the costs alone: the same numbers as the model's whole
  // evaluation of the row's pmapping, made from scratch.
  it("scoring a row by the model gives the model's evaluation of its pmapping (copies, Tolls, halos, Networks)", async () => {
    let rows = 0
    let refused = 0
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async (c) => {
        const { loaded, setup, picked } = await pickedTemplates(c)
        for (const { k, template } of picked) {
          const mode = setup.composition
          const columns = setup.columns
          const prepared = prepareTemplate(template, loaded, mode, columns)
          for (let salt = 0; salt < 3; salt++) {
            const row = rowOf(template, c.picks, salt + k)
            let want: { values: Float64Array; bits: Array<number> } | undefined
            try {
              const m = einsumMetrics(analyzeEinsum(rowPmapping(prepared, row, 0)), prepared.archNodes, prepared.scope, prepared.deferrable)
              const values = new Float64Array(columns.length)
              mode.einsumValues(columns, m.costs, values)
              want = { values, bits: m.terms.reservations.map((r) => r.bits) }
            } catch {
              // A row the model refuses is refused by the scoring too.
              expect(() => scoreRow(prepared, row, 0)).toThrow()
              refused++
              continue
            }
            const got = scoreRow(prepared, row, 0)
            expect([...got.values]).toEqual([...want.values])
            expect(got.reservations.map((r) => r.bits)).toEqual(want.bits)
            rows++
          }
        }
      }),
      { numRuns: 25, seed: 32_2026 }
    )
    expect(rows).toBeGreaterThan(200)
    console.info(`scored rows: ${rows}, refused: ${refused}`)
  }, NO_TIME_LIMIT)
})
