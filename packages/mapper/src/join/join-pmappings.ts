/**
 * The FFM join (§5.5): Einsum by Einsum in workload order, the groups joined so far meet the
 * next Einsum's pmapping groups. Only groups whose shared tensors sit in the same place meet
 * (a hash on those placements: "skip invalid"); a pair whose loop nests do not nest is skipped;
 * every surviving row pair combines its objectives (by the composition's rules, model
 * compose/) and its reservations (merge-pair.ts),
 * pairs over capacity are dropped, and the rows of each joined compatibility are Pareto-pruned.
 * Tensors no later Einsum uses leave the compatibility, so rows that differed only in them
 * start to prune each other. At the end every compatibility is empty: one group remains, and
 * its Pareto front over the objectives is the answer (EDP is taken from it by the caller).
 *
 * Pure and synchronous; the Joiner service wraps it.
 */
import type { MapperConfig } from "@effect-accelforge/core"
import { type BoundedObjective, type Composition, type RowCombiner, SEQUENTIAL } from "@effect-accelforge/model"
import { type Compatibility, compatibilityDepth, compatibilityKey, type FusedLoop } from "../compatibility/compatibility.ts"
import { NoValidMappingError } from "../errors.ts"
import { type Budget, checkBudget } from "../generate/limits.ts"
import { type PmappingGroup, type PmappingTable, reservationColumn, tensorSizeColumn } from "../generate/pmapping-table.ts"
import { isExactFront, keepsWithinFront, paretoFront } from "../pareto/index.ts"
import type { PruneFunction } from "../service/pareto-pruner.ts"
import { checkStop, type StopFlag } from "../service/stop-flag.ts"
import { copiesAgree, joinedCompatibility, loopNest, nestsCompatible, openPlacement, placementKey } from "./compatibility-join.ts"
import { lowestRowOf, type StepBound, stepBounds, type UpperBound } from "./join-bound.ts"
import type { JoinGroup } from "./join-group.ts"
import { mergePair, type PairBound, type RightSide } from "./merge-pair.ts"
import { PartnerIndex } from "./partner-index.ts"
import { JoinSpace, RowBuilder } from "./row-builder.ts"
import { type TensorFilter, TensorUses } from "./tensor-uses.ts"
import { Trail } from "./trail.ts"

export interface JoinOptions {
  readonly config: MapperConfig
  /** The tensors each Einsum uses, in workload order (aligned with the tables). */
  readonly einsumTensors: ReadonlyArray<ReadonlySet<string>>
  readonly prune?: PruneFunction
  /** How the Einsums' objective columns combine (default: in sequence, they add). */
  readonly composition?: Composition
  readonly budget?: Budget
  /** Raised, the join throws a SearchStoppedError at its next check (see `STOP_CHECK_ROWS`). */
  readonly stop?: StopFlag
  /**
   * What the final pick minimises, when it is one scalar (a run asking for energy, latency or
   * EDP alone): with `upperBound`, rows that cannot complete to it are dropped (join-bound.ts).
   * Unset: the whole Pareto front over the objectives is joined.
   */
  readonly objective?: BoundedObjective
  /** The objective and tie-break objective of a complete valid mapping of the same tables (best-so-far.ts sets it). */
  readonly upperBound?: UpperBound
  /**
   * Bound with `upperBound` even when the pruner is not the exact front. Only for a join that
   * looks for some complete mapping better than `upperBound` (the beam join: beam-join.ts),
   * not for the optimum: join-bound.ts's argument that the answer is unchanged needs the exact front.
   */
  readonly boundAnyPrune?: boolean
  /**
   * With the bound, the groups joined on after each step (the narrow beam's: best-groups.ts).
   * Only for a join that looks for some complete mapping, as `boundAnyPrune`: unset, every group is.
   */
  readonly selectGroups?: (groups: ReadonlyArray<JoinGroup>, bound: StepBound) => ReadonlyArray<JoinGroup>
  /** Called after each joined Einsum with (Einsums joined, Einsums in all). */
  readonly onStep?: (done: number, total: number) => void
  /** Called after each group of the Einsums joined so far meets the next Einsum (cheap; the caller throttles what it shows). */
  readonly onProgress?: (p: JoinProgress) => void
}

/** Where a join is: joining Einsum `step` (1-based) of `steps`, `groupsDone` of its `groups` left groups met, `rowsFormed` row pairs so far. */
export interface JoinProgress {
  readonly einsum: string
  readonly step: number
  readonly steps: number
  readonly groupsDone: number
  readonly groups: number
  readonly rowsFormed: number
  /** Set while the beam join that bounds the full one runs (beam-join.ts); unset in the full join. */
  readonly phase?: "upper bound"
}

/** What one join step did (the runtime log's lines). */
export interface JoinStep {
  readonly einsum: string
  /**
   * "consolidate" and "join": the join's own steps; "unfused" and "upper bound": one line each
   * for the joins made before it (`JoinResult.preliminaryJoins`).
   */
  readonly phase: "consolidate" | "join" | "unfused" | "upper bound"
  readonly leftGroups: number
  readonly rightGroups: number
  /** Group pairs looked at, and those whose compatibilities meet. */
  readonly pairsTried: number
  readonly pairsJoined: number
  /** Row pairs formed, and rows kept after capacity and Pareto pruning. */
  readonly rowsFormed: number
  readonly rowsKept: number
  readonly groupsKept: number
  readonly seconds: number
}

export interface JoinResult {
  /** The final Pareto front over the objectives (one group, empty compatibility). */
  readonly front: JoinGroup
  /** Memories whose reservations the join carried (FFM §5.5 step 0). */
  readonly memories: ReadonlyArray<string>
  readonly steps: ReadonlyArray<JoinStep>
  /**
   * The joins made before this one (best-so-far.ts): the unfused best-so-far and the beam join
   * whose mapping bounds it, one line each, figures summed over their steps. Their time is the
   * join's too: a figure of the join's time that leaves them out understates it.
   */
  readonly preliminaryJoins?: ReadonlyArray<JoinStep>
  /** Set when the join did not finish (a limit, a signal): `front` is then the best found before it stopped. */
  readonly incomplete?: Incomplete
}

/** Why a result is not the search's optimum, and what was not explored. */
export interface Incomplete {
  /** What stopped the search: a limit's knob (`time_limit`, ...) or a signal (`SIGINT`, ...). */
  readonly cause: string
  readonly reason: string
  readonly unexplored: string
}

/**
 * The join checks its budget and stop flag before each left group and, within one, after every
 * group pair once this many more row pairs were formed: cheap (a counter compare per pair), and
 * a few milliseconds of work apart, so a stop request or a limit ends an in-thread join at once.
 */
const STOP_CHECK_ROWS = 1 << 16

const checkpoint = (options: JoinOptions, einsum: string): void => {
  checkBudget(options.budget, `joining Einsum ${einsum}`)
  checkStop(options.stop, "the join")
}

/** First table-wide row id of each group. */
const rowOffsets = (table: PmappingTable): Int32Array => {
  const out = new Int32Array(table.groups.length)
  let at = 0
  table.groups.forEach((g, i) => {
    out[i] = at
    at += g.rows
  })
  return out
}

/** The group and row of a table-wide row id. */
export const rowOfId = (table: PmappingTable, id: number): { readonly group: PmappingGroup; readonly row: number } => {
  let at = id
  for (const group of table.groups) {
    if (at < group.rows) return { group, row: at }
    at -= group.rows
  }
  throw new Error(`row id ${id} is outside table ${table.einsum}`)
}

/**
 * Memories the join must carry (FFM §5.5 step 0): drop one whose per-Einsum peaks add up to at
 * most its capacity (it can never overflow), and one only ever reserved at an Einsum's innermost
 * level and holding no shared tensor (no two Einsums' uses are ever live together).
 */
const joinedMemories = (tables: ReadonlyArray<PmappingTable>): Array<string> => {
  const tracked = tables[0]?.tracked ?? []
  return tracked.filter((memory, m) => {
    let peaks = 0
    let innermostOnly = true
    for (const table of tables) {
      let peak = 0
      for (const g of table.groups) {
        if (g.compatibility.tensors.some((t) => t.component === memory)) innermostOnly = false
        const total = g.columns[reservationColumn(table.objectives, g.depth, m, g.depth)]!
        for (let r = 0; r < g.rows; r++) peak = Math.max(peak, total[r]!)
        for (let level = -1; level < g.depth && innermostOnly; level++) {
          const column = g.columns[reservationColumn(table.objectives, g.depth, m, level)]!
          for (let r = 0; r < g.rows; r++) {
            if (column[r]! !== 0) {
              innermostOnly = false
              break
            }
          }
        }
      }
      peaks += peak
    }
    return peaks > 1 && !innermostOnly
  })
}

/** Where each joined memory sits among the table's tracked ones (the same for all its groups). */
const memoryIndexOf = (table: PmappingTable, memories: ReadonlyArray<string>): ReadonlyArray<number> => memories.map((m) => table.tracked.indexOf(m))

const rightSide = (
  table: PmappingTable, group: PmappingGroup, rowOffset: number, memories: ReadonlyArray<string>, memoryIndex = memoryIndexOf(table, memories)
): RightSide => ({
  group,
  rowOffset,
  objectives: table.objectives,
  tableTracked: table.tracked.length,
  memoryIndex,
  memories
})

/** A row of one Einsum is not placed yet: it leaves no fused loop open to the bound (join-bound.ts). */
const NO_LOOPS: ReadonlyArray<FusedLoop> = []

/** Groups of one table, equally good ones ordered by descending pre-Pareto size (ffm §11 A). */
const orderedGroups = (table: PmappingTable): Array<{ readonly group: PmappingGroup; readonly offset: number }> => {
  const offsets = rowOffsets(table)
  return table.groups
    .map((group, i) => ({ group, offset: offsets[i]!, i }))
    .sort((x, y) => y.group.generated - x.group.generated || x.i - y.i)
    .map(({ group, offset }) => ({ group, offset }))
}

/** The first Einsum's groups as joined groups: compatibility cleared to what later Einsums use. */
const firstGroups = (
  table: PmappingTable, memories: ReadonlyArray<string>, live: TensorFilter, prune: PruneFunction, trail: Trail, space: JoinSpace,
  bound: StepBound | undefined
): Array<JoinGroup> => {
  const builders = new Map<string, RowBuilder>()
  const k = table.objectives
  space.nextStep()
  for (const { group, offset } of orderedGroups(table)) {
    const kept = group.compatibility.tensors.filter((t) => live.has(t.tensor))
    const depth = compatibilityDepth({ tensors: kept })
    const compatibility: Compatibility = { tensors: kept.map((t) => openPlacement(t, depth)) }
    const key = compatibilityKey(compatibility)
    let builder = builders.get(key)
    if (builder === undefined) {
      builder = new RowBuilder(compatibility, depth, k, memories.length, 1, trail, space)
      builders.set(key, builder)
    }
    const side = rightSide(table, group, offset, memories)
    const sizeColumns = compatibility.tensors.map((t) =>
      tensorSizeColumn(k, group.depth, table.tracked.length, group.compatibility.tensors.findIndex((u) => u.tensor === t.tensor))
    )
    const right = new Float64Array(memories.length * (depth + 2))
    const left = new Float64Array(memories.length * (depth + 1))
    const objectives = new Float64Array(k)
    const sizes = new Float64Array(sizeColumns.length)
    // Per memory, the column of each kept level; levels deeper than the cleared depth collapse
    // into it (cumulative: the deepest is the max).
    const levelColumns = memories.map((_, m) =>
      Array.from({ length: depth + 2 }, (_, i) => group.columns[reservationColumn(k, group.depth, side.memoryIndex[m]!, i - 1 === depth ? group.depth : i - 1)]!)
    )
    for (let r = 0; r < group.rows; r++) {
      for (let c = 0; c < k; c++) objectives[c] = group.columns[c]![r]!
      if (bound !== undefined && bound.exceeds(objectives, NO_LOOPS)) continue
      levelColumns.forEach((columns, m) => {
        for (let i = 0; i < depth + 2; i++) right[m * (depth + 2) + i] = columns[i]![r]!
        for (let level = 0; level <= depth; level++) left[m * (depth + 1) + level] = right[m * (depth + 2) + level + 1]!
      })
      sizeColumns.forEach((c, t) => (sizes[t] = group.columns[c]![r]!))
      builder.push(objectives, right, left, sizes, -1, offset + r, 0)
    }
    builder.generated += group.generated
  }
  return [...builders.values()].map((b) => b.finish(prune, { openLoops: loopNest(b.compatibility) })).filter((g) => g.rows > 0)
}

/** Join the next Einsum (`table`) onto `left`. */
const joinStep = (
  left: ReadonlyArray<JoinGroup>,
  table: PmappingTable,
  memories: ReadonlyArray<string>,
  tensors: { readonly own: ReadonlySet<string>; readonly earlier: TensorFilter; readonly live: TensorFilter },
  options: JoinOptions,
  prune: PruneFunction,
  combineObjectives: RowCombiner,
  space: JoinSpace,
  progress: (groupsDone: number, rowsFormed: number) => void,
  bound: StepBound | undefined
): { groups: Array<JoinGroup>; step: Omit<JoinStep, "seconds" | "einsum" | "phase"> } => {
  const k = table.objectives
  const memoryIndex = memoryIndexOf(table, memories)
  const right = orderedGroups(table).map(({ group, offset }) => ({
    side: rightSide(table, group, offset, memories, memoryIndex),
    key: placementKey(group.compatibility, tensors.earlier),
    // Written when the group first meets a left group (a third of a chain step's 774 groups meet none).
    bound: undefined as PairBound | undefined
  }))
  const pairLowest = new Float64Array(k)
  const leftKeys = left.map((a) => placementKey(a.compatibility, tensors.own))
  const metKeys = new Set(leftKeys)
  // B groups by placement key and by every prefix of their loop nest: an A group meets only
  // those listed under its own key and nest (it runs outside them: nestsCompatible), so the
  // pairs that cannot nest are never looked at (they were 99% of a transformer step's pairs).
  // Groups under a key no left group has are left out: no one would look them up.
  const byKeyAndNest = new PartnerIndex<(typeof right)[number]>()
  for (const r of right) if (metKeys.has(r.key)) byKeyAndNest.add(r.key, loopNest(r.side.group.compatibility), r)
  const poolGroups = options.config._combine_reservations || memories.length === 0
  const builders = new Map<string, RowBuilder>()
  const separate: Array<RowBuilder> = []
  space.nextStep()
  let pairsTried = 0
  let pairsJoined = 0
  let rowsFormed = 0
  let groupsDone = 0
  let nextCheck = STOP_CHECK_ROWS
  for (let at = 0; at < left.length; at++) {
    const a = left[at]!
    progress(groupsDone++, rowsFormed)
    checkpoint(options, table.einsum)
    const key = leftKeys[at]!
    // "Skip invalid": only same-key groups can meet. The ablation looks at every pair instead.
    const nest = loopNest(a.compatibility)
    const aLowest = bound === undefined ? undefined : lowestRowOf(a.objectives, k, a.rows)
    const partners = options.config._skip_invalid ? byKeyAndNest.partners(key, nest) : right
    for (const b of partners) {
      pairsTried++
      if (b.key !== key || !nestsCompatible(a.compatibility, b.side.group.compatibility)) continue
      if (!copiesAgree(a.compatibility, b.side.group.compatibility)) continue
      pairsJoined++
      const joined = joinedCompatibility(a.compatibility, b.side.group.compatibility, tensors.live)
      // No row pair of the two groups has objectives below both groups' smallest: when those exceed the bound, so does every pair.
      if (bound !== undefined) {
        const g = b.side.group
        b.bound ??= { step: bound, lowest: lowestRowOf(g.columns, k, g.rows) }
        const nextLoops = loopNest(joined)
        combineObjectives(pairLowest, aLowest!, 0, b.bound.lowest, 0, { sharedLoops: nest, nextLoops })
        if (bound.exceeds(pairLowest, nextLoops)) continue
      }
      const joinedKey = compatibilityKey(joined)
      let builder = poolGroups ? builders.get(joinedKey) : undefined
      if (builder === undefined) {
        builder = new RowBuilder(joined, compatibilityDepth(joined), table.objectives, memories.length, a.einsums + 1, a.trail, space)
        if (poolGroups) builders.set(joinedKey, builder)
        else separate.push(builder)
      }
      const before = builder.formed
      mergePair(a, b.side, joined, combineObjectives, builder, b.bound)
      builder.generated += builder.formed - before
      rowsFormed += a.rows * b.side.group.rows
      if (rowsFormed >= nextCheck) {
        checkpoint(options, table.einsum)
        nextCheck = rowsFormed + STOP_CHECK_ROWS
      }
    }
  }
  const groups = [...builders.values(), ...separate].map((b) => b.finish(prune, { openLoops: loopNest(b.compatibility) })).filter((g) => g.rows > 0)
  return {
    groups,
    step: {
      leftGroups: left.length,
      rightGroups: right.length,
      pairsTried,
      pairsJoined,
      rowsFormed,
      rowsKept: groups.reduce((s, g) => s + g.rows, 0),
      groupsKept: groups.length
    }
  }
}

/** The final front: every group (all compatibilities are empty now) in order, pruned on the objectives. */
const finalFront = (groups: ReadonlyArray<JoinGroup>, objectives: number, prune: PruneFunction): JoinGroup => {
  const { einsums, trail } = groups[0]!
  const builder = new RowBuilder({ tensors: [] }, 0, objectives, 0, einsums, trail)
  const none = new Float64Array(0)
  const values = new Float64Array(objectives)
  for (const g of groups) {
    for (let r = 0; r < g.rows; r++) {
      for (let c = 0; c < objectives; c++) values[c] = g.objectives[c]![r]!
      const node = g.nodes[r]!
      builder.push(values, none, none, none, trail.parentOf(node), trail.rowOf(node), trail.attachOf(node))
    }
    builder.generated += g.generated
  }
  const front = builder.finish(prune)
  const { choices, attach } = front
  return { ...front, ...trail.compacted(front.nodes, einsums), choices, attach }
}

export const joinPmappings = (tables: ReadonlyArray<PmappingTable>, options: JoinOptions): JoinResult => {
  const prune = options.prune ?? paretoFront
  const combine = (options.composition ?? SEQUENTIAL).combiner(tables[0]?.columns ?? [])
  const memories = joinedMemories(tables)
  const steps: Array<JoinStep> = []
  const sets = options.einsumTensors
  const uses = new TensorUses(sets)
  const noMapping = (table: PmappingTable, reason: string) => new NoValidMappingError({ einsum: table.einsum, reason })
  let started = performance.now()
  const first = tables[0]!
  // One space for the whole join: each step reuses the last one's row slabs.
  const space = new JoinSpace(keepsWithinFront(prune))
  const bounds = options.objective === undefined || options.upperBound === undefined || !(isExactFront(prune) || options.boundAnyPrune === true)
    ? undefined
    : stepBounds(tables, options.composition ?? SEQUENTIAL, first.columns, options.objective, options.upperBound)
  const select = (groups: ReadonlyArray<JoinGroup>, i: number) =>
    options.selectGroups === undefined || bounds === undefined ? groups : options.selectGroups(groups, bounds[i]!)
  let left = select(firstGroups(first, memories, uses.after(0), prune, new Trail(), space, bounds?.[0]), 0)
  if (left.length === 0) throw noMapping(first, "no valid pmapping: every tile shape of every template breaks a capacity, fanout or loop-bound rule")
  steps.push({
    einsum: first.einsum, phase: "consolidate", leftGroups: 0, rightGroups: first.groups.length, pairsTried: 0, pairsJoined: 0,
    rowsFormed: first.counters.paretoOptimal, rowsKept: left.reduce((s, g) => s + g.rows, 0), groupsKept: left.length,
    seconds: (performance.now() - started) / 1000
  })
  options.onStep?.(1, tables.length)
  for (let i = 1; i < tables.length; i++) {
    const table = tables[i]!
    started = performance.now()
    if (table.groups.length === 0) throw noMapping(table, "no valid pmapping: every tile shape of every template breaks a capacity, fanout or loop-bound rule")
    const tensors = { own: sets[i]!, earlier: uses.before(i), live: uses.after(i) }
    const progress = (groupsDone: number, rowsFormed: number) =>
      options.onProgress?.({ einsum: table.einsum, step: i + 1, steps: tables.length, groupsDone, groups: left.length, rowsFormed })
    const joined = joinStep(left, table, memories, tensors, options, prune, combine, space, progress, bounds?.[i])
    const groups = select(joined.groups, i)
    const step = groups === joined.groups ? joined.step : { ...joined.step, rowsKept: groups.reduce((s, g) => s + g.rows, 0), groupsKept: groups.length }
    steps.push({ einsum: table.einsum, phase: "join", ...step, seconds: (performance.now() - started) / 1000 })
    if (groups.length === 0) {
      throw noMapping(
        table,
        step.pairsJoined === 0
          ? `none of its pmappings places the tensors it shares with earlier Einsums (${[...tensors.own].filter((t) => tensors.earlier.has(t)).join(", ")}) the way any joined mapping of the Einsums before it does`
          : "every fused combination with the Einsums before it exceeds a memory's capacity"
      )
    }
    left = groups
    options.onStep?.(i + 1, tables.length)
  }
  return { front: finalFront(left, first.objectives, prune), memories, steps }
}
