/**
 * The tile enumeration (tiles/enumerate-tiles.ts, chain-step.ts) gives, row for row and in
 * order, the rows of the plainest enumeration there is: every partial row times every divisor
 * chain of the next rank variable, in order, kept when the mapspace's validity rules pass it
 * (mapspace/validity.ts), then min_usage's best-effort cut on the dimensions completed there,
 * then the partial-row pruner. On random small cascades (buffers that bind or not, fused or
 * not, min_usage and loop bounds), with one row space reused by every template of every
 * Einsum, as a search reuses it. And the pruner's cost columns, evaluated row by row over flat
 * arrays, are bit for bit one monomial at a time.
 */
import { Result } from "effect"
import fc from "fast-check"
import { describe, expect, it, vi } from "vitest"
import { resolveAll } from "@effect-accelforge/core"
import { SEQUENTIAL } from "@effect-accelforge/model"
import { einsumFacts, searchSetup } from "../src/index.ts"
import { prepareTemplate } from "../src/evaluate/evaluate-row.ts"
import { Rule, checkPartialRow, templateRules } from "../src/mapspace/validity.ts"
import { paretoFront } from "../src/pareto/index.ts"
import { capacityCheck } from "../src/tiles/capacity.ts"
import { divisorChains } from "../src/tiles/divisor-chains.ts"
import { enumerateTiles, TileRowSpace } from "../src/tiles/enumerate-tiles.ts"
import { bestEffortCut, keepsUsage, reachesMinUsage } from "../src/tiles/min-usage.ts"
import { columnValues, type PartialPruner, partialPruner } from "../src/tiles/partial-pruning.ts"
import { verifiedAnalysis } from "../src/tiles/verified-cost-terms.ts"
import { type CascadeCase, cascadeCase, loadCase } from "./support/random-cascade.ts"

// CPU-bound properties with fixed seeds and run counts: no wall-clock limit (a loaded machine is slow, not wrong).
vi.setConfig({ testTimeout: 0 })

type Rules = ReturnType<typeof templateRules>

/** The enumeration by definition: rows in order, every chain in order, each rule checked on the whole candidate row. */
const referenceRows = (rules: Rules, pruner: PartialPruner | undefined): { tiles: Array<number>; evaluated: number; reachedPastFanoutOnly: number } => {
  const width = rules.loops.length
  let rows = [new Array<number>(Math.max(1, width)).fill(1).slice(0, width)]
  let evaluated = 0
  // Steps where candidates reach every dimension completed there, but on one only past its fanout.
  let reachedPastFanoutOnly = 0
  const known = new Uint8Array(width)
  rules.variables.forEach((variable, v) => {
    const own = rules.loopsOfVariable[v]!
    const chains = divisorChains(rules.bounds.get(variable)!, own.length)
    const nChains = own.length === 0 ? 1 : chains.length / own.length
    for (const i of own) known[i] = 1
    let next: Array<Array<number>> = []
    for (const row of rows) {
      evaluated += nChains
      for (let c = 0; c < nChains; c++) {
        const candidate = [...row]
        own.forEach((i, j) => (candidate[i] = chains[c * own.length + j]!))
        if (checkPartialRow(rules, candidate, 0, v) === Rule.valid) next.push(candidate)
      }
    }
    // The enumeration tries the rows reaching min_usage first: when none does, it looks at every candidate again.
    const completing = rules.minUsage.filter((m) => m.completesAfter === v)
    if (completing.length > 0) {
      const reachesAll = (row: Array<number>) => completing.every((m) => bestEffortCut(Float64Array.of(usageOf(rules, row, m)), 1, m.minUsage).all)
      if (!next.some(reachesAll)) evaluated += rows.length * nChains
      else if (completing.some((m) => next.every((row) => !reachesAll(row) || usageOf(rules, row, m) > 1))) reachedPastFanoutOnly++
    }
    for (const m of completing) {
      const usage = Float64Array.from(next, (row) => usageOf(rules, row, m))
      const cut = bestEffortCut(usage, next.length, m.minUsage)
      next = next.filter((_, r) => keepsUsage(cut, usage[r]!))
    }
    if (pruner !== undefined && v < rules.variables.length - 1 && next.length >= 1) {
      const keep = pruner.prune(Int32Array.from(next.flat()), next.length, known)
      next = Array.from(keep, (r) => next[r]!)
    }
    rows = next
  })
  return { tiles: rows.flat(), evaluated, reachedPastFanoutOnly }
}

const usageOf = (rules: Rules, row: Array<number>, m: Rules["minUsage"][number]): number => {
  const counts = rules.countsOf(row, 0)
  let used = 1
  for (const i of m.loops) used *= counts[i]!
  return used / m.fanout
}

interface Seen {
  rows: number
  pruned: number
  shortOfUsage: number
  /** Steps whose candidates reach a min_usage dimension only past its fanout (their loops use no instances). */
  pastFanoutOnly: number
}

/**
 * Every template of the case enumerated and compared with the reference. `dropInstances`: no
 * spatial loop uses instances, for the enumeration and the reference's rules alike. The model
 * gives that only to a copy's loops below its last backing holder, and a copy has no min_usage
 * (template/spatial-loops.ts), so only this reaches the out-of-reach check's case of a
 * dimension whose loops are not bound by its fanout (enumerate-tiles.ts).
 */
const checkCase = async (c: CascadeCase, withPruner: boolean, levelsEverywhere: boolean, dropInstances: boolean, seen: Seen) => {
  const { loaded } = await loadCase(c)
  const contexts = resolveAll(loaded)
  if (Result.isFailure(contexts)) throw contexts.failure
  const setup = searchSetup(loaded)
  const space = new TileRowSpace()
  contexts.success.forEach((ctx, e) => {
    const facts = einsumFacts(ctx, setup.fusable)
    for (const template of setup.templates[e]!) {
      const modelRules = templateRules(template, ctx, facts, setup.config, loaded, SEQUENTIAL)
      const rules = dropInstances ? { ...modelRules, dimensionOfLoop: modelRules.dimensionOfLoop.map(() => -1) } : modelRules
      const prepared = prepareTemplate(template, loaded, SEQUENTIAL, SEQUENTIAL.columns(setup.config.metrics))
      const verified = verifiedAnalysis(prepared, ctx.einsum.bounds, true)
      const usesInstances = dropInstances ? verified.analysis.usesInstances.map(() => false) : verified.analysis.usesInstances
      const pruner = withPruner && verified.terms !== undefined
        ? partialPruner(template, verified.terms, ctx.einsum.bounds, { maxLoopsPerSpatialDimension: rules.maxLoopsPerSpatialDimension, maxLoops: rules.maxLoops }, paretoFront)
        : undefined
      const capacity = verified.reservations === undefined ? undefined : capacityCheck(template, verified.reservations)
      const limits = {
        maxFusedLoops: rules.maxFusedLoops,
        maxFusedLoopsPerRankVariable: rules.maxFusedLoopsPerRankVariable,
        maxLoops: rules.maxLoops,
        tilingCoarseness: 1,
        maxLoopsPerSpatialDimension: rules.maxLoopsPerSpatialDimension
      }
      const actual = enumerateTiles(template, rules.variables, rules.bounds, capacity, usesInstances, limits, undefined, "test", pruner, 1, false, space, levelsEverywhere ? 0 : undefined)
      const expected = referenceRows(rules, pruner)
      expect(Array.from(actual.tiles)).toEqual(expected.tiles)
      expect(actual.evaluated).toBe(expected.evaluated)
      // The search scores these rows without a min_usage cut of its own (generate-pmappings.ts):
      // on every dimension they all reach the usage or all share one, so a cut of any subset keeps it whole.
      for (const m of rules.minUsage) {
        const usage = Array.from({ length: actual.count }, (_, r) => usageOf(rules, Array.from(actual.tiles.subarray(r * rules.loops.length, (r + 1) * rules.loops.length)), m))
        expect(usage.every((u) => reachesMinUsage(u, m.minUsage)) || usage.every((u) => u === usage[0])).toBe(true)
        if (usage.length > 0 && !reachesMinUsage(usage[0]!, m.minUsage)) seen.shortOfUsage++
      }
      seen.rows += actual.count
      seen.pastFanoutOnly += expected.reachedPastFanoutOnly
      if (pruner !== undefined) seen.pruned++
    }
  })
}

describe("tile enumeration", () => {
  it("gives the reference enumeration's rows, in order, with one row space for every template", async () => {
    const seen: Seen = { rows: 0, pruned: 0, shortOfUsage: 0, pastFanoutOnly: 0 }
    await fc.assert(
      // Capacity levels in every step, or only in steps of the search's size (none, here).
      fc.asyncProperty(cascadeCase, fc.boolean(), fc.boolean(), (c, withPruner, levelsEverywhere) => checkCase(c, withPruner, levelsEverywhere, false, seen)),
      { numRuns: 60, seed: 25 }
    )
    // Not vacuous: rows came out, with and without the pruner.
    expect(seen.rows).toBeGreaterThan(1000)
    expect(seen.pruned).toBeGreaterThan(50)
    // And templates whose rows all fall short of a min_usage (the best-effort case).
    expect(seen.shortOfUsage).toBeGreaterThan(0)
  })

  it("gives them where a min_usage dimension's loops use no instances (not bound by its fanout)", async () => {
    const seen: Seen = { rows: 0, pruned: 0, shortOfUsage: 0, pastFanoutOnly: 0 }
    // Sizes whose loop counts often skip the fanout (3 and 6 against 2 and 4), so that some steps' candidates reach min_usage only past it.
    const withMinUsage = fc.tuple(cascadeCase, fc.constantFrom(1, 3, 6), fc.constantFrom(2, 4), fc.constantFrom(0.5, 1))
      .map(([c, m, fanout, minUsage]) => ({ ...c, m, k: 3, n: 1, fanout, minUsage }))
    await fc.assert(
      fc.asyncProperty(withMinUsage, fc.boolean(), fc.boolean(), (c, withPruner, levelsEverywhere) => checkCase(c, withPruner, levelsEverywhere, true, seen)),
      { numRuns: 30, seed: 26 }
    )
    // Not vacuous: steps reach min_usage only past the fanout, where a fanout-bound check would skip their first pass.
    expect(seen.pastFanoutOnly).toBeGreaterThan(0)
  })

  // Rows of few tile values (runs of rows alike in some loops, as a step's rows come: the values
  // of the row before are copied there) and of many, on few loops and on more than 31 (loops from
  // the 32nd on share one bit of the changed loops).
  const evaluatedAsMonomials = (width: number, maxTile: number, maxLength: number, seed: number) => {
    const monomial = fc.record({
      coef: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      factors: fc.array(fc.tuple(fc.integer({ min: 0, max: width - 1 }), fc.constantFrom(-2, -1, 1, 2, 3)), { maxLength: 4 })
    })
    fc.assert(
      fc.property(fc.array(fc.array(monomial, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: 1, max: maxTile }), { minLength: width, maxLength }), (columns, values) => {
        const count = Math.floor(values.length / width)
        const tiles = Int32Array.from(values.slice(0, count * width))
        const flat = columns.map((column) => column.map((m) => ({ coef: m.coef, factors: Int32Array.from(m.factors.flat()) })))
        const actual = columnValues(flat, tiles, count, width)
        flat.forEach((column, c) => {
          for (let r = 0; r < count; r++) {
            let sum = 0
            for (const m of column) {
              let v = m.coef
              for (let k = 0; k < m.factors.length; k += 2) {
                const tile = tiles[r * width + m.factors[k]!]!
                const e = m.factors[k + 1]!
                v *= e === 1 ? tile : e === -1 ? 1 / tile : Math.pow(tile, e)
              }
              sum += v
            }
            expect(Object.is(actual[c]![r], sum)).toBe(true)
          }
        })
      }),
      { numRuns: 300, seed }
    )
  }

  it("evaluates the pruner's cost columns bit for bit as one monomial at a time", () => evaluatedAsMonomials(4, 4096, 40, 25))
  it("evaluates them so on rows alike in some loops (copied from the row before)", () => evaluatedAsMonomials(4, 2, 80, 26))
  it("evaluates them so on rows of more than 31 loops", () => evaluatedAsMonomials(36, 2, 36 * 8, 27))
})
