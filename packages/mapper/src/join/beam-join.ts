/**
 * A cheap complete mapping for the join's bound (join-bound.ts): the same join, but each joined
 * group keeps only the few rows of its exact front with the lowest objective so far, and only
 * the few groups whose best row can reach the lowest objective are joined on (a narrow beam).
 * Every row it ends with is a complete valid mapping of the same tables (the join's own checks,
 * on fewer rows), so its objective is an upper bound on the optimum, usually much closer to it
 * than the unfused best-so-far (two_level × transformer_block: the optimum itself, against 2.9%
 * above it).
 *
 * A beam that never cut a front nor a step's groups (every group's exact front had at most its
 * width of rows, every step at most its groups: the chains of matmuls) pruned exactly as the
 * full join does, with the same bound: its result is the full join's, and the full join is not
 * run again (best-so-far.ts).
 */
import type { BoundedObjective, Column, Composition, ObjectiveLowerBound } from "@effect-accelforge/model"
import { objectiveLowerBound } from "@effect-accelforge/model"
import { NoValidMappingError } from "../errors.ts"
import type { PmappingTable } from "../generate/pmapping-table.ts"
import { isExactFront, markWithinFront, type ParetoOptions, paretoFront } from "../pareto/index.ts"
import type { PruneFunction } from "../service/pareto-pruner.ts"
import { bestGroups } from "./best-groups.ts"
import { bestObjective, tieBreakOf, type UpperBound } from "./join-bound.ts"
import { joinPmappings, type JoinOptions, type JoinProgress, type JoinResult, type JoinStep } from "./join-pmappings.ts"

const NONE: UpperBound = { objective: Infinity, tie: Infinity }

/** Rows each group keeps. */
export const BEAM_WIDTH = 4

/**
 * Groups the beam joins on after each step (best-groups.ts). On two_level × transformer_block
 * 256 found the optimum (as did 1024, at 1.5x the time), 64 a mapping 2.6% above it (the
 * unfused one is 2.9% above), 16 none; no step of the bench's matmul chains (up to 256 Einsums)
 * has more than 128 groups, so their beam is still their full join. The answer never depends on it: it only sets how
 * tight the full join's bound is. Keeping every group cost as much as the full join on the
 * transformer block (29 k groups at its widest step, 18 k even under the optimum as bound).
 */
export const NARROW_GROUPS = 256

/**
 * The exact front, then its `width` rows of lowest objective so far, ties broken by the lowest
 * tie-break objective so far (the pick's order: U then carries a good tie-break objective too),
 * then by the lowest front index, in ascending row order, as a pruner returns them. A beam join
 * prunes tens of thousands of small groups: the pick is a single pass keeping the best `width`
 * so far by insertion, in scratch arrays the pruner reuses (no sort, no array per group). `onCut` is called for each front it cuts.
 */
export const beamPrune = (
  objectives: number, bound: ObjectiveLowerBound, tieBound: ObjectiveLowerBound | undefined, width: number, onCut?: () => void
): PruneFunction => {
  const zero = new Float64Array(objectives)
  const values = new Float64Array(objectives)
  const bestIndex = new Int32Array(width)
  const bestScore = new Float64Array(width)
  const bestTie = new Float64Array(width)
  const scoreOf = (lowerBound: ObjectiveLowerBound, columns: ReadonlyArray<Float64Array>, row: number, openLoops: ParetoOptions["openLoops"]) => {
    for (let c = 0; c < objectives; c++) values[c] = columns[c]![row]!
    return lowerBound(values, zero, openLoops)
  }
  return markWithinFront((columns, goals, options) => {
    const front = paretoFront(columns, goals, options)
    if (front.length <= width) return front
    onCut?.()
    let held = 0
    for (let i = 0; i < front.length; i++) {
      const score = scoreOf(bound, columns, front[i]!, options?.openLoops)
      const tie = tieBound === undefined ? 0 : scoreOf(tieBound, columns, front[i]!, options?.openLoops)
      // Strictly better than a held one to pass it: among equals the lower front index stays first.
      let at = held
      while (at > 0 && (score < bestScore[at - 1]! || (score === bestScore[at - 1]! && tie < bestTie[at - 1]!))) at--
      if (at === width) continue
      for (let j = Math.min(held, width - 1); j > at; j--) {
        bestIndex[j] = bestIndex[j - 1]!
        bestScore[j] = bestScore[j - 1]!
        bestTie[j] = bestTie[j - 1]!
      }
      bestIndex[at] = i
      bestScore[at] = score
      bestTie[at] = tie
      if (held < width) held++
    }
    const kept = bestIndex.slice(0, held).sort()
    for (let j = 0; j < held; j++) kept[j] = front[kept[j]!]!
    return kept
  })
}

/** The beam join's best row's objectives (Infinity when it finds no complete mapping or the objective has no bound), and its steps. */
export interface BeamResult {
  readonly upperBound: UpperBound
  readonly steps: ReadonlyArray<JoinStep>
  /**
   * The beam's whole result when it cut no front nor group and the join's pruner is the exact front: it is
   * then the full join bounded by `bestSoFar` (same pruning, same bound, same sieve), an exact
   * answer (join-bound.ts: any U of a complete valid mapping leaves the optimum in).
   */
  readonly exact?: JoinResult
}

/**
 * The beam join, bounded by `bestSoFar` (a complete valid mapping's objectives, the unfused
 * best-so-far's): a partial row that cannot complete below it is dropped as in the full join
 * (join-bound.ts), since a completion no better than `bestSoFar` cannot improve on it as U.
 * Without it the beam joined every compatibility the full join meets, 4 rows each, and cost
 * 3x the bounded full join on a chain of 128 matmuls.
 */
export const beamUpperBound = (
  tables: ReadonlyArray<PmappingTable>, options: JoinOptions, composition: Composition, columns: ReadonlyArray<Column>, objective: BoundedObjective,
  bestSoFar: UpperBound = NONE
): BeamResult => {
  const bound = objectiveLowerBound(composition, columns, objective)
  if (bound === undefined || tables.length === 0) return { upperBound: NONE, steps: [] }
  const { onStep: _onStep, onProgress, upperBound: _upperBound, ...rest } = options
  // The beam is part of the join's time: its progress is shown too, marked as the bound's.
  const progress = onProgress === undefined ? {} : { onProgress: (p: JoinProgress) => onProgress({ ...p, phase: "upper bound" }) }
  const bounded = Number.isFinite(bestSoFar.objective) ? { upperBound: bestSoFar, boundAnyPrune: true } : {}
  try {
    const tieBound = objectiveLowerBound(composition, columns, tieBreakOf(objective))
    let cuts = 0
    const prune = beamPrune(tables[0]!.objectives, bound, tieBound, BEAM_WIDTH, () => cuts++)
    const selectGroups = bestGroups(NARROW_GROUPS, () => cuts++)
    const result = joinPmappings(tables, { ...rest, ...bounded, ...progress, selectGroups, prune })
    const { front, steps } = result
    const exact = cuts === 0 && isExactFront(options.prune ?? paretoFront) ? { exact: result } : {}
    return { upperBound: bestObjective(front.objectives, front.rows, composition, columns, objective), steps, ...exact }
  } catch (e) {
    // No complete mapping in the beam (or none below `bestSoFar`): U stays the best-so-far's.
    if (e instanceof NoValidMappingError) return { upperBound: NONE, steps: [] }
    throw e
  }
}
