/**
 * The FFM join against brute force over complete fused mappings (fused-brute-force.ts), as
 * properties the test files run (join-brute-force*.property.test.ts, two files so the test
 * runner's two workers share them): on tiny random cascades of matrix products (2-4 Einsums,
 * `T{i+1}[m, n{i+1}] = T{i}[m, n{i}] * W{i}[n{i}, n{i+1}]`, or a 3-Einsum gate whose first
 * output skips the second Einsum) and random two- or three-level arches whose on-chip buffers
 * are small enough for capacity to bind (intermediates may or must stay on chip), every
 * combination of every Einsum's valid pmappings (no Pareto pruning) is judged for placement,
 * nesting and capacity by a direct definition, and
 *
 * (a) for energy, latency and EDP, the mapper's optimum equals the brute-force optimum, the
 *     mapping it picks is valid by the brute force's definitions, and no valid combination
 *     means NoValidMappingError — checked on the join's front and on the Mapper service's answer;
 * (b) with `objective_tolerance: t`, the answer is valid, never better than the exact optimum,
 *     and within (1+t) (EDP: (1+t)²) of the best combination that uses at most 1-t of every
 *     memory;
 * (c) in overlap modes writeback and pipeline, (a)'s optimum, and the searched optimum is
 *     monotone in the mode.
 *
 * (b) runs on (a)'s cases (same seed), so each case's brute force is enumerated once (cached).
 * Cases whose placed combinations (distinct rows) exceed 200k are skipped and counted.
 * Seeds are fixed; set JOIN_BF_SEED (an integer) to explore others and JOIN_BF_RUNS to change
 * the number of cases per property.
 */
import { Effect, Layer } from "effect"
import fc from "fast-check"
import { expect } from "vitest"
import { type LoadedSpec, loadSpec, type MapperConfig } from "@effect-accelforge/core"
import {
  einsumTensors,
  joinPmappings,
  keepAllRows,
  type MapperError,
  NoValidMappingError,
  ParetoPruner,
  PmappingGenerator,
  type PruneFunction,
  searchLayer,
  searchSetup
} from "../../src/index.ts"
import {
  buildSpace,
  type Combinations,
  enumerate,
  judgeKeys,
  judgeMapper,
  type Judged,
  keyOfId,
  type Metric,
  metricFlags,
  objectiveOf,
  optimum,
  type Space,
  TooManyCombinations
} from "./fused-brute-force.ts"
import { mapFailure, mapping, mapSpec, withConfig } from "./run-mapper.ts"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

import { type Case, GATE_COPY_CASE, specText } from "./join-case.ts"

const workloadArbitrary = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 2, max: 4 }).map((einsums) => ({ shape: "chain" as "chain" | "gate", einsums, widths: einsums + 1 })) },
  { weight: 1, arbitrary: fc.constant({ shape: "gate" as "chain" | "gate", einsums: 3, widths: 2 }) }
)

export const caseArbitrary: fc.Arbitrary<Case> = workloadArbitrary.chain(({ shape, einsums, widths }) =>
  fc.record({
    shape: fc.constant(shape),
    einsums: fc.constant(einsums),
    m: fc.constantFrom(1, 2, 4, 8),
    widths: fc.array(fc.constantFrom(1, 2, 4), { minLength: widths, maxLength: widths }),
    glbBits: fc.constantFrom(16, 32, 48, 64, 96, 128, 192, 256, 512),
    // A register file only on short chains: it multiplies the templates.
    rfBits: einsums === 2 ? fc.constantFrom(0, 0, 8, 16, 32) : fc.constant(0),
    dramEnergy: fc.integer({ min: 5, max: 40 }),
    glbRead: fc.integer({ min: 1, max: 6 }),
    glbWrite: fc.integer({ min: 1, max: 6 }),
    rfEnergy: fc.integer({ min: 1, max: 2 }),
    macEnergy: fc.integer({ min: 1, max: 3 }),
    dramThroughput: fc.constantFrom(1, 2, 4),
    glbThroughput: fc.constantFrom(2, 4, 8, 16),
    rfThroughput: fc.constantFrom(4, 8, 16),
    macThroughput: fc.constantFrom(1, 2, 4),
    maxFusedLoops: fc.constantFrom(1, 1, 2),
    onChip: fc.boolean()
  })
)

const dir = mkdtempSync(join(tmpdir(), "join-brute-force-"))
let files = 0

interface Prepared {
  readonly text: string
  readonly loaded: LoadedSpec
  readonly space: Space
  readonly combinations: Combinations
}

/** Specs and their brute force, shared by the properties (the spec text is the key). */
const cache = new Map<string, Prepared | "too many">()

export const prepare = async (c: Case): Promise<Prepared | undefined> => {
  const text = specText(c)
  const hit = cache.get(text)
  if (hit !== undefined) return hit === "too many" ? undefined : hit
  const file = join(dir, `spec-${files++}.yaml`)
  writeFileSync(file, text)
  const loaded = await Effect.runPromise(loadSpec({ files: [file], variables: {}, overrides: [] }))
  const space = buildSpace(loaded)
  try {
    const prepared = { text, loaded, space, combinations: enumerate(space) }
    cache.set(text, prepared)
    return prepared
  } catch (e) {
    if (!(e instanceof TooManyCombinations)) throw e
    cache.set(text, "too many")
    return undefined
  }
}

const configFor = (loaded: LoadedSpec, metric: Metric, tolerance = 0): MapperConfig => ({
  ...loaded.spec.mapper,
  metrics: metricFlags[metric],
  objective_tolerance: tolerance
})

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))

const describeJudged = (p: Prepared, j: Judged): string =>
  `chosen ${JSON.stringify(j.keys)}: joined energy ${j.joined.energy}, latency ${j.joined.latency}; brute force sees energy ${j.energy}, latency ${j.latency}, placed ${j.placed}, peak ${JSON.stringify(j.peak)}\n${p.text}`

/**
 * The chosen rows fit, their sums are the join's objectives, and the model evaluates the mapping
 * built from them to the same numbers (under objective_tolerance too: a tolerant pruner once kept
 * E0 copying T0 into GLB above the loop it shares with E1 and E1 reading T0 from DRAM, and the
 * mapping built from them let E1 read through E0's copy; copies above shared loops are now part
 * of the compatibility, see the pinned gate case).
 */
const expectFits = (p: Prepared, j: Judged): void => {
  expect(j.placed, `the chosen pmappings do not place/nest consistently: ${describeJudged(p, j)}`).toBe(true)
  for (const [memory, peak] of Object.entries(j.peak)) {
    expect(peak, `${memory} is over capacity: ${describeJudged(p, j)}`).toBeLessThanOrEqual(1 + 1e-9)
  }
  // The join's sums are the pmappings' own objectives, and the model evaluates the mapping to the same numbers.
  if (!Number.isNaN(j.joined.energy)) expect(close(j.joined.energy, j.energy), describeJudged(p, j)).toBe(true)
  if (!Number.isNaN(j.joined.latency)) expect(close(j.joined.latency, j.latency), describeJudged(p, j)).toBe(true)
  expect(close(j.evaluated.energy, j.energy), `the model evaluates energy ${j.evaluated.energy}: ${describeJudged(p, j)}`).toBe(true)
  expect(close(j.evaluated.latency, j.latency), `the model evaluates latency ${j.evaluated.latency}: ${describeJudged(p, j)}`).toBe(true)
}

const joinedObjective = (metric: Metric, j: Judged): number => objectiveOf(metric, j.energy, j.latency)

const seed = (base: number): number => (process.env.JOIN_BF_SEED === undefined ? base : Number(process.env.JOIN_BF_SEED) + base)
const runs = (n: number): number => (process.env.JOIN_BF_RUNS === undefined ? n : Number(process.env.JOIN_BF_RUNS))

export const METRICS: ReadonlyArray<Metric> = ["energy", "latency", "edp"]

/**
 * Cases per seed for (a), and for (b) on (a)'s first ones (was 150 and 100). Each planted bug
 * that some random case of (a) or (b) catches at the old counts still fails every one of the
 * four properties at 40 and 30 cases (case indices from 0, seeds 1 and 2, found by running every
 * case with the bug toggled on, 2026-12-03); 60 and 50 keep a margin for the bug that the
 * fewest cases catch (the split buffer's liveness: one case of seed 2 below 40):
 * - the join's bound too tight (join-bound.ts, U × 0.9): 24 and 25 of the seeds' first 40 (a)
 *   cases, 17 and 19 of their first 30 (b) cases;
 * - the model counting a shared tensor's buffer at the split while an Einsum before its first
 *   user runs (usage.ts without the `inUse` skip; the 4-Einsum failure below): (a) cases 5, 15,
 *   16, 31 (seed 1) and 20 (seed 2), (b) cases 15, 16 and 20; at the old counts also (a) 46,
 *   117 and 131, (b) 46;
 * - the join's capacity check letting memories fill to 125% (merge-pair.ts): (a) from case 3
 *   and 5, (b) from 3 and 5.
 * Copies above shared loops left out of the compatibility (copiesAgree always true) fail only
 * pinned cases, at any count (the tolerant gate case's pick, and case 0's joined rows); a shared
 * tensor counted once across Einsums in the memory tracking (memory-tracking.test.ts catches it
 * too) and the join's left (sibling) levels unchecked (collapseAndFit without its left check)
 * fail no random case at either count, only the check of every joined row (checkJoinedRows) on
 * pinned case 0 and on pinned case 3 respectively.
 * Property (c) keeps its 16 cases of seed 4: the capacity check at 125%, and a join step that
 * folds as if no loop stayed open to the next Einsum (merge-pair.ts, nextLoops empty), fail
 * only its case 10 (the bound too tight: 9 of them).
 */
export const OPTIMUM_RUNS = 60
export const TOLERANCE_RUNS = 50

/** Property (a) on one case and metric: the join's optimum is the brute force's, or both find none. */
export const checkOptimum = async (p: Prepared, metric: Metric): Promise<void> => {
  const best = optimum(p.combinations, metric)
  const config = configFor(p.loaded, metric)
  if (best === Infinity) {
    const e: MapperError = await mapFailure(mapping(withConfig(p.loaded, config)))
    expect(e, `${metric}: brute force finds no valid combination, the join must fail with NoValidMappingError\n${p.text}`).toBeInstanceOf(NoValidMappingError)
    return
  }
  let j: Judged
  try {
    j = await judgeMapper(p.space, p.loaded, config)
  } catch (e) {
    throw new Error(`${metric}: the join failed (${String(e)}) but brute force has optimum ${best}\n${p.text}`)
  }
  expectFits(p, j)
  const got = joinedObjective(metric, j)
  expect(close(got, best), `${metric}: join ${got} vs brute force ${best}; ${describeJudged(p, j)}`).toBe(true)
  // What the Mapper service reports is that optimum too.
  expect(close(j.objectives[metric]!, best), `${metric}: the Mapper reports ${JSON.stringify(j.objectives)} vs brute force ${best}\n${p.text}`).toBe(true)
}

/** Property (b) on one case: with tolerance t the answer fits and keeps the documented bound. */
export const checkTolerance = async (p: Prepared, metric: Metric, t: number): Promise<void> => {
  const exact = optimum(p.combinations, metric)
  // The best combination that leaves t of every memory free: resource rounding keeps a
  // representative of it (or of something as good).
  const roomy = optimum(p.combinations, metric, 1 - t)
  const config = configFor(p.loaded, metric, t)
  let j: Judged
  try {
    j = await judgeMapper(p.space, p.loaded, config)
  } catch (e) {
    if (e instanceof NoValidMappingError && roomy === Infinity) return
    throw new Error(`${metric}, t=${t}: the join failed (${String(e)}) but brute force has optimum ${exact} (${roomy} at ≤ ${1 - t} usage)\n${p.text}`)
  }
  expectFits(p, j)
  const got = joinedObjective(metric, j)
  const label = `${metric}, t=${t}: got ${got}, exact optimum ${exact}, optimum at ≤ ${1 - t} usage ${roomy}; ${describeJudged(p, j)}`
  expect(got, label).toBeGreaterThanOrEqual(exact * (1 - 1e-9))
  if (roomy < Infinity) {
    const factor = metric === "edp" ? (1 + t) ** 2 : 1 + t
    expect(got, label).toBeLessThanOrEqual(roomy * factor * (1 + 1e-9))
  }
}

/** The search with tables of every valid pmapping of each Einsum (the per-Einsum search prunes nothing). */
const EVERY_PMAPPING = searchLayer({ pmappingGenerator: PmappingGenerator.layerWithoutDependencies.pipe(Layer.provide(ParetoPruner.keepAll)) })

/**
 * The join's capacity accounting row by row, where (a) sees only its pick: every valid pmapping
 * of each Einsum (the Mapper's tables with nothing pruned) joined with no pruning either (so no
 * row that fits hides one that does not), and
 * - every row the join keeps at every step has each reservation level, right and left, within
 *   capacity (FFM §5.4 step 7: limit_capacity before Pareto). A row over capacity only at a
 *   left (sibling) level above the joined depth reaches no pick: the last step folds every
 *   left level into right[0] and drops it there; until then it is carried (and under
 *   objective_tolerance, whose rounding of reservations can tie it with rows that fit, could
 *   stand in for them);
 * - every complete mapping it ends with is placed and fits by the brute force's definitions
 *   (not only the one picked: a mapping over capacity that ties with or loses to the pick, as
 *   in the pinned gate case, shows a memory the join does not track).
 */
export const checkJoinedRows = async (p: Prepared): Promise<void> => {
  const config = configFor(p.loaded, "energy")
  const { tables } = await mapSpec(withConfig(p.loaded, config), { jobs: 1 }, EVERY_PMAPPING)
  const setup = searchSetup(p.loaded, config)
  const objectives = tables[0]!.objectives
  const memories = setup.tracked
  // The columns a join step prunes: objectives, then every memory's right levels -1..d, then every memory's left levels 0..d.
  const levelOf = (column: number, width: number): string => {
    const depth = (width / memories.length - 3) / 2
    const rights = memories.length * (depth + 2)
    return column < rights
      ? `${memories[Math.floor(column / (depth + 2))]}'s right level ${(column % (depth + 2)) - 1}`
      : `${memories[Math.floor((column - rights) / (depth + 1))]}'s left level ${(column - rights) % (depth + 1)}`
  }
  const keepAllWithinCapacity: PruneFunction = (columns) => {
    for (let c = objectives; c < columns.length; c++) {
      const worst = columns[c]!.reduce((a, b) => Math.max(a, b), 0)
      if (worst > 1 + 1e-9) expect.fail(`a joined row keeps ${levelOf(c - objectives, columns.length - objectives)} at ${worst} of capacity\n${p.text}`)
    }
    return keepAllRows(columns)
  }
  const { front } = joinPmappings(tables, {
    config: setup.config, einsumTensors: einsumTensors(setup), prune: keepAllWithinCapacity, composition: setup.composition
  })
  for (let row = 0; row < front.rows; row++) {
    const keys = tables.map((table, e) => keyOfId(table, front.choices[e]![row]!))
    const j = judgeKeys(p.space, keys)
    expect(j.placed, `the join keeps ${JSON.stringify(keys)}, which does not place/nest consistently\n${p.text}`).toBe(true)
    for (const [memory, peak] of Object.entries(j.peak)) {
      expect(peak, `the join keeps ${JSON.stringify(keys)}, over ${memory}'s capacity\n${p.text}`).toBeLessThanOrEqual(1 + 1e-9)
    }
  }
}

/** Cases that once broke the join, kept so they stay fixed. */
export const pinned: ReadonlyArray<{ readonly why: string; readonly c: Case; readonly tolerance: number }> = [
  {
    // A shared tensor counted once in memory tracking leaves GLB untracked here, and the join keeps E0 and E1 each copying T0
    // into GLB above the m loop (GLB at 200/192). That mapping ties on latency only (energy 5652 vs 4852): the pick breaks ties
    // on energy now (2de96f4), and `_tie_break: first` meets another tied mapping first, so only every joined row shows it.
    why: "gate: T1 stays live in GLB across E1, so GLB must be tracked with one copy per Einsum using a tensor",
    c: {
      shape: "gate", einsums: 3, m: 4, widths: [2, 1], glbBits: 192, rfBits: 0, dramEnergy: 20, glbRead: 2, glbWrite: 3, rfEnergy: 1,
      macEnergy: 1, dramThroughput: 1, glbThroughput: 16, rfThroughput: 8, macThroughput: 1, maxFusedLoops: 1, onChip: false
    },
    tolerance: 0
  },
  {
    why: "E1 backs nothing in GLB, yet E0's W0 sits in GLB above the fused loop while E1's T2 buffer is there too",
    c: {
      shape: "chain", einsums: 2, m: 1, widths: [1, 2, 4], glbBits: 32, rfBits: 16, dramEnergy: 20, glbRead: 1, glbWrite: 1, rfEnergy: 2,
      macEnergy: 1, dramThroughput: 1, glbThroughput: 2, rfThroughput: 4, macThroughput: 1, maxFusedLoops: 1, onChip: false
    },
    tolerance: 0.5
  },
  {
    why: "gate, tolerance 0.05: E0 copies T0 into GLB above the n1 loop E1 shares, so E1 must hold that copy too (else it reads through it)",
    c: GATE_COPY_CASE,
    tolerance: 0.05
  },
  {
    // Joining E2 (depth 1: m, since n2 = 1) under E2 and E3's two loops (m, n3): E0 and E1 fill GLB inside the m loop while
    // E2 holds half of it above that loop, 1.5 of GLB at left level 1; the pick never shows it (the last step folds left
    // levels into right[0]), every joined row does (checkJoinedRows).
    why: "4 Einsums: E0 and E1's GLB peak inside the m loop plus E2's buffers above it, a left (sibling) level above the joined depth",
    c: {
      shape: "chain", einsums: 4, m: 2, widths: [2, 2, 1, 2, 4], glbBits: 32, rfBits: 0, dramEnergy: 8, glbRead: 2, glbWrite: 1, rfEnergy: 2,
      macEnergy: 2, dramThroughput: 1, glbThroughput: 2, rfThroughput: 16, macThroughput: 2, maxFusedLoops: 2, onChip: true
    },
    tolerance: 0
  }
]

/**
 * Property (a) over `numRuns` cases of seed `base`. Also the Mapper service's answer: its
 * reported objective is the optimum (a separate property once checked that on 100 other cases,
 * searching each case a second time; it checked a subset of what this one does). Once failed on
 * 4 Einsums (m 8, widths [1,4,2,1,1], GLB 128 bits, intermediates on chip): the rebuilt LoopTree
 * hoists T3's buffer above the split, and the model counted it while E1 ran, before its first
 * user E2 started; FFM's reservation tree (and now the model) does not.
 */
export const optimumProperty = async (base: number, numRuns: number): Promise<void> => {
  let checked = 0
  let skipped = 0
  // Cases where capacity changes some optimum, or leaves no valid combination at all.
  let binding = 0
  let infeasible = 0
  await fc.assert(
    fc.asyncProperty(caseArbitrary, async (c) => {
      const p = await prepare(c)
      if (p === undefined) return void skipped++
      checked++
      if (METRICS.some((metric) => optimum(p.combinations, metric) > p.combinations.uncapped[metric])) binding++
      if (p.combinations.count === 0) infeasible++
      for (const metric of METRICS) await checkOptimum(p, metric)
    }),
    { numRuns: runs(numRuns), seed: seed(base) }
  )
  console.info(`join vs brute force (seed ${seed(base)}): ${checked} cases checked (capacity binding in ${binding}, infeasible ${infeasible}), ${skipped} skipped as too large`)
  expect(checked).toBeGreaterThan(skipped)
  // The cases must exercise capacity, or the comparison says little about the reservation algebra.
  expect(binding).toBeGreaterThan(0)
}

/**
 * Property (c) (docs/overlapped-latency.md §7): the join carries the fused nest's state, so it
 * stays exact when latency is not a sum; the model's evaluation of the chosen mapping agrees with it.
 */
export const overlapProperty = async (base: number, numRuns: number): Promise<void> => {
  let checked = 0
  let skipped = 0
  let overlapping = 0
  await fc.assert(
    fc.asyncProperty(caseArbitrary, async (c) => {
      const none = await prepare(c)
      const modes = await Promise.all((["writeback", "pipeline"] as const).map((overlap) => prepare({ ...c, overlap })))
      if (none === undefined || modes.some((p) => p === undefined)) return void skipped++
      checked++
      for (const p of modes) for (const metric of METRICS) await checkOptimum(p!, metric)
      // The searched optimum is monotone in the mode.
      const [writeback, pipeline] = modes as [Prepared, Prepared]
      const best = (p: Prepared) => optimum(p.combinations, "latency")
      if (best(pipeline) < best(none)) overlapping++
      expect(best(pipeline)).toBeLessThanOrEqual(best(writeback) * (1 + 1e-9))
      expect(best(writeback)).toBeLessThanOrEqual(best(none) * (1 + 1e-9))
    }),
    { numRuns: runs(numRuns), seed: seed(base) }
  )
  console.info(`overlap modes vs brute force: ${checked} cases checked (overlap lowers the latency optimum in ${overlapping}), ${skipped} skipped as too large`)
  expect(checked).toBeGreaterThan(skipped)
  expect(overlapping).toBeGreaterThan(0)
}

/**
 * Property (b) over `numRuns` cases of seed `base`: run it with (a)'s seed after (a), and its
 * cases are (a)'s first ones in the same order (the tolerance and metric are drawn after the
 * case), so their brute force comes from the cache instead of being enumerated again.
 */
export const toleranceProperty = async (base: number, numRuns: number): Promise<void> => {
  let checked = 0
  let skipped = 0
  await fc.assert(
    fc.asyncProperty(caseArbitrary, fc.constantFrom(0.05, 0.2, 0.5), fc.constantFrom(...METRICS), async (c, t, metric) => {
      const p = await prepare(c)
      if (p === undefined) return void skipped++
      checked++
      await checkTolerance(p, metric, t)
    }),
    { numRuns: runs(numRuns), seed: seed(base) }
  )
  expect(checked).toBeGreaterThan(skipped)
}
