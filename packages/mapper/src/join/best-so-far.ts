/**
 * The best complete mapping that exists as soon as every Einsum's own search is done: the join
 * of each Einsum's pmappings without a fused loop (every shared tensor held whole for the whole
 * workload, in a memory both Einsums agree on). It is small (the groups of depth 0), so it is made
 * before the full join starts; a search stopped during the full join (a limit, a signal) answers
 * with its best point, marked incomplete, instead of nothing.
 *
 * Not (yet) published: better complete mappings as the full join goes. One exact way exists: after
 * join step i, the joined groups with no fused loop left towards later Einsums (depth 0) can be
 * completed by the remaining Einsums' unfused pmappings, and that completion is the same join
 * continued from step i + 1 on those groups and the remaining tables' depth-0 groups (valid, and
 * evaluated by the model to the joined numbers, by construction). It needs the join to start from
 * joined groups instead of the first table (an entry point in join-pmappings.ts, being rewritten
 * for speed), and bounding its cost (one partial join per step: quadratic in steps for long
 * chains) by throttling it to a few per second of join time.
 */
import { NoValidMappingError } from "../errors.ts"
import type { PmappingTable } from "../generate/pmapping-table.ts"
import { SEQUENTIAL } from "@effect-accelforge/model"
import { beamUpperBound } from "./beam-join.ts"
import { bestObjective, betterUpperBound } from "./join-bound.ts"
import type { JoinGroup } from "./join-group.ts"
import { joinPmappings, type JoinOptions, type JoinResult, type JoinStep } from "./join-pmappings.ts"

/** The table restricted to its groups with no fused loop. */
const unfusedGroups = (table: PmappingTable): PmappingTable => ({ ...table, groups: table.groups.filter((g) => g.depth === 0) })

const allUnfused = (table: PmappingTable): boolean => table.groups.every((g) => g.depth === 0)

/** Table-wide row ids of `part` (some of `table`'s groups, in order) as row ids of `table`. */
const idsInTable = (table: PmappingTable, part: PmappingTable): (id: number) => number => {
  const offsets = new Map<unknown, number>()
  let at = 0
  for (const g of table.groups) {
    offsets.set(g, at)
    at += g.rows
  }
  return (id) => {
    let rest = id
    for (const g of part.groups) {
      if (rest < g.rows) return offsets.get(g)! + rest
      rest -= g.rows
    }
    throw new Error(`row id ${id} is outside the unfused part of table ${table.einsum}`)
  }
}

const renumbered = (front: JoinGroup, tables: ReadonlyArray<PmappingTable>, parts: ReadonlyArray<PmappingTable>): JoinGroup => ({
  ...front,
  choices: front.choices.map((ids, e) => Int32Array.from(ids, idsInTable(tables[e]!, parts[e]!)))
})

/**
 * The join of the Einsums' unfused pmappings (no time or memory budget, no stop flag: it is the
 * answer when those run out or a stop comes), its choices as row ids of the full tables; undefined when no such mapping fits.
 */
export const unfusedFront = (tables: ReadonlyArray<PmappingTable>, options: JoinOptions): JoinResult | undefined => {
  const parts = tables.map(unfusedGroups)
  const { budget: _budget, stop: _stop, onStep: _onStep, onProgress: _onProgress, ...rest } = options
  try {
    const result = joinPmappings(parts, rest)
    return { ...result, front: renumbered(result.front, tables, parts) }
  } catch (e) {
    if (e instanceof NoValidMappingError) return undefined
    throw e
  }
}

/** One line for a join made before the full one: its steps' figures summed, its whole time (a failed join leaves no steps). */
const preliminaryLine = (phase: "unfused" | "upper bound", steps: ReadonlyArray<JoinStep>, seconds: number): JoinStep => {
  const sum = (key: "leftGroups" | "rightGroups" | "pairsTried" | "pairsJoined" | "rowsFormed") => steps.reduce((s, step) => s + step[key], 0)
  const last = steps[steps.length - 1]
  return {
    einsum: "(every Einsum)", phase, leftGroups: sum("leftGroups"), rightGroups: sum("rightGroups"), pairsTried: sum("pairsTried"), pairsJoined: sum("pairsJoined"),
    rowsFormed: sum("rowsFormed"), rowsKept: last?.rowsKept ?? 0, groupsKept: last?.groupsKept ?? 0, seconds
  }
}

const secondsSince = (started: number) => (performance.now() - started) / 1000

/**
 * The unfused join first (handed to `onBestSoFar`), then the full join; when the pick minimises
 * one scalar (`options.objective`), the full join is bounded (join-bound.ts) by the better of
 * the best-so-far's objective and a narrow beam join's (beam-join.ts: its best groups a step,
 * itself bounded by the best-so-far's): both are complete valid mappings. The two joins before
 * the full one are reported in `preliminaryJoins`. A beam that cut no front nor group is the
 * full join (beam-join.ts): its result is the answer, and only the unfused join came before it.
 * When no pmapping has a fused loop, the unfused join is the full join: it is the answer, and no
 * join is reported before it.
 */
export const joinWithBestSoFar = (tables: ReadonlyArray<PmappingTable>, options: JoinOptions, onBestSoFar: (r: JoinResult) => void): JoinResult => {
  let started = performance.now()
  const best = unfusedFront(tables, options)
  const preliminaryJoins = [preliminaryLine("unfused", best?.steps ?? [], secondsSince(started))]
  if (best !== undefined) onBestSoFar(best)
  // With every pmapping unfused (one Einsum; shared tensors all kept whole), the unfused join read
  // every table whole, with the same pruning and no bound: it is the full join, and its answer is
  // complete (it ran without budget or stop, and finished). Joining again (the beam, or the
  // unbounded join) made the same front a second time: about half the join's time on the bench's
  // one-Einsum and unfused cases.
  if (best !== undefined && tables.every(allUnfused)) return best
  if (best === undefined || options.objective === undefined || tables.length === 0) return { ...joinPmappings(tables, options), preliminaryJoins }
  const { front } = best
  const composition = options.composition ?? SEQUENTIAL
  const columns = tables[0]!.columns
  const unfused = bestObjective(front.objectives, front.rows, composition, columns, options.objective)
  started = performance.now()
  const beam = beamUpperBound(tables, options, composition, columns, options.objective, unfused)
  if (beam.exact !== undefined) return { ...beam.exact, preliminaryJoins }
  preliminaryJoins.push(preliminaryLine("upper bound", beam.steps, secondsSince(started)))
  return { ...joinPmappings(tables, { ...options, upperBound: betterUpperBound(unfused, beam.upperBound) }), preliminaryJoins }
}
