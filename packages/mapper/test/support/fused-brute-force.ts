/**
 * An independent brute force over complete fused mappings, to check the FFM join against.
 *
 * Every Einsum's complete set of valid pmappings (the per-Einsum search with a pruner that keeps
 * every row) is enumerated, one row per Einsum, and each combination is judged directly:
 *
 * 1. placement: every tensor two Einsums share sits in the same place (memory, persistence,
 *    fused loops above its backing node) in both;
 * 2. nesting: walking in workload order, the "open nest" before Einsum i is the longest loop
 *    list among the placements of tensors that Einsums < i hold and Einsums ≥ i still use;
 *    Einsum i's own longest loop list must start with it (iterations, spatial, dimension). Einsum
 *    i shares s(i-1, i) = |open nest| loops with the one before; s(i, j) = min over the
 *    consecutive pairs between them;
 *    Copies: any two users of a shared tensor hold the same non-backing copies of it above the
 *    loops they share (the fused LoopTree writes one node there, on both paths);
 * 3. capacity, by a direct definition (no reservation-tree algebra). Each row's reservations
 *    come from the model (the same scoring the search uses), each at its fused depth: the fused
 *    loops of more than one iteration above it (-1 when persistent). While Einsum i runs, a
 *    memory holds
 *      - everything Einsum i reserves;
 *      - for every other Einsum j, its reservations at depth d < s(i, j) (allocated above a loop
 *        both run inside, so live for the whole shared iteration), except the backing buffers
 *        of shared tensors, which are counted once each:
 *      - the backing buffer of a shared tensor T that i does not use, when T is live while i
 *        runs: some user j of T has depth(T) < s(i, j), or users j < i < k surround i (T is
 *        written before i and read after it, inside the loops all three share).
 *    Every memory of finite size must hold at most its size (+1e-9 relative) for every i.
 *
 * Hand example (one memory GLB of 96 bits; E0 then E1 sharing T1 under one fused loop m, so
 * s(0, 1) = 1). E0 reserves W0 (32 bits) at depth 0, T0 (16) and T1's backing (16) at depth 1;
 * E1 reserves W1 (32) at depth 0, T1's backing (16) and T2 (8) at depth 1.
 *   while E0 runs: E0's 64 + E1's depth-0 W1 32 = 96 (T1 is E0's own, counted once);
 *   while E1 runs: E1's 56 + E0's depth-0 W0 32 = 88.
 * A real machine runs `alloc W0, W1; for m { alloc T1; E0 (alloc T0 ... free T0); E1 (alloc T2
 * ... free T2); free T1 }`: its peak is W0 + W1 + T1 + T0 = 96, the same. The definition never
 * undercounts: what it counts for j is allocated outside a loop both run inside, and the only
 * reservations it leaves out of "while i runs" are j's reservations at depth ≥ s(i, j), which
 * are allocated and freed inside j's own iteration of the innermost shared loop (or after it
 * when j runs alone), so they are never live while i runs.
 *
 * Objectives of a combination: the model's composition (model compose/) combines the Einsums'
 * columns in the spec's overlap mode (`mapper.overlap`; mode none: energy and latency added,
 * other modes: the fused nest's state, folded with the loops each Einsum shares with its
 * neighbours) and derives energy, latency and EDP, as for a mapping the model evaluates.
 */
import { type LoadedSpec, type MapperConfig, METRIC_FLAGS } from "@effect-accelforge/core"
import { type Column, type Composition, loopCounter } from "@effect-accelforge/model"
import { mapSpec, withConfig } from "./run-mapper.ts"
import { prepareTemplate, scoreRow } from "../../src/evaluate/evaluate-row.ts"
import {
  type Compatibility,
  type FusedLoop,
  generatePmappings,
  type LoopSlot,
  type PmappingTable,
  rowOfId,
  columnIndex,
  searchSetup,
  trackedMemories
} from "../../src/index.ts"

export type Metric = "energy" | "latency" | "edp"

export const metricFlags: Record<Metric, number> = {
  energy: METRIC_FLAGS.ENERGY,
  latency: METRIC_FLAGS.LATENCY,
  edp: METRIC_FLAGS.ENERGY_DELAY_PRODUCT
}

const TOLERANCE = 1e-9

/** One valid pmapping of one Einsum, as the brute force sees it. */
export interface Row {
  /** Template index and tile shapes: identifies the pmapping across searches. */
  readonly key: string
  /** The composition's columns of this pmapping alone. */
  readonly values: Float64Array
  /** Per memory: bits of everything the Einsum reserves. */
  readonly total: Float64Array
  /**
   * Per memory, cumulative over depth: `privateUpTo[m][k]` = bits reserved at depth < k - 1
   * (k = 0..maxDepth + 2; depth -1 = persistent), leaving out the backing buffers of shared
   * tensors. Another Einsum sharing s loops with this one sees `privateUpTo[m][s + 1]`.
   */
  readonly privateUpTo: ReadonlyArray<Float64Array>
  /** Bits of each shared tensor's backing buffer (in its placement's memory). */
  readonly backing: ReadonlyMap<string, number>
}

export interface Group {
  readonly compatibility: Compatibility
  /** Longest loop list over the compatibility's tensors. */
  readonly nest: ReadonlyArray<FusedLoop>
  readonly rows: ReadonlyArray<Row>
  /**
   * One row per distinct (objectives, reservations) signature: rows that agree on every number
   * the brute force looks at are interchangeable, so combinations only need one of them.
   */
  readonly distinct: ReadonlyArray<Row>
}

export interface EinsumSpace {
  readonly name: string
  readonly tensors: ReadonlySet<string>
  readonly groups: ReadonlyArray<Group>
}

export interface Space {
  /** How Einsums compose (the spec's overlap mode), and the columns a row carries for energy and latency. */
  readonly composition: Composition
  readonly columns: ReadonlyArray<Column>
  /** Memories of finite size, with their sizes in bits. */
  readonly memories: ReadonlyArray<{ readonly name: string; readonly size: number }>
  readonly einsums: ReadonlyArray<EinsumSpace>
  /** Tensors two or more Einsums use. */
  readonly shared: ReadonlySet<string>
}

/**
 * Energy, latency and EDP of a combination of rows (one per Einsum, in workload order) whose
 * Einsum i shares `nests[i - 1]` with Einsum i − 1: the rows' columns folded by the composition.
 */
export const combinationTotals = (space: Space, rows: ReadonlyArray<Row>, nests: ReadonlyArray<ReadonlyArray<FusedLoop>>): { energy: number; latency: number; edp: number } =>
  totalsFolder(space)(rows, nests)

/** combinationTotals with its combiner and buffers made once, for the brute force's inner loop. */
const totalsFolder = (space: Space): (rows: ReadonlyArray<Row>, nests: ReadonlyArray<ReadonlyArray<FusedLoop>>) => { energy: number; latency: number; edp: number } => {
  const combine = space.composition.combiner(space.columns)
  const k = space.columns.length
  const left = Array.from({ length: k }, () => new Float64Array(1))
  const right = Array.from({ length: k }, () => new Float64Array(1))
  const out = new Float64Array(k)
  const sums = new Array<number>(k)
  return (rows, nests) => {
    for (let c = 0; c < k; c++) left[c]![0] = rows[0]!.values[c]!
    for (let i = 1; i < rows.length; i++) {
      for (let c = 0; c < k; c++) right[c]![0] = rows[i]!.values[c]!
      combine(out, left, 0, right, 0, { sharedLoops: nests[i - 1]!, nextLoops: nests[i] ?? [] })
      for (let c = 0; c < k; c++) left[c]![0] = out[c]!
    }
    for (let c = 0; c < k; c++) sums[c] = left[c]![0]!
    const totals = space.composition.totals(space.columns, sums)
    return { energy: totals.energy!, latency: totals.latency!, edp: totals.edp! }
  }
}

const keepAll = (columns: ReadonlyArray<Float64Array>): Int32Array => Int32Array.from({ length: columns[0]?.length ?? 0 }, (_, i) => i)

const rowKey = (template: number, tiles: ArrayLike<number>): string => `${template}|${Array.from(tiles).join(",")}`

const nestOf = (c: Compatibility): ReadonlyArray<FusedLoop> =>
  c.tensors.reduce<ReadonlyArray<FusedLoop>>((best, t) => (t.loops.length > best.length ? t.loops : best), [])

const depthOf = (t: { readonly persistent: boolean; readonly loops: ReadonlyArray<unknown> }): number => (t.persistent ? -1 : t.loops.length)

/** Every valid pmapping of every Einsum (no pruning), rescored by the model for its reservations. */
export const buildSpace = (loaded: LoadedSpec, config: MapperConfig = loaded.spec.mapper): Space => {
  const setup = searchSetup(loaded, config)
  // Energy and latency whatever the metric (a mode that overlaps Einsums has one layout for all).
  const columns = setup.composition.columns(METRIC_FLAGS.ENERGY | METRIC_FLAGS.LATENCY)
  const names = trackedMemories(setup.contexts, loaded.workload.tensorsByName, [], true)
  const sizeOf = new Map<string, number>()
  for (const ctx of setup.contexts) {
    for (const path of ctx.computePaths) for (const n of path.nodes) if (n.kind === "Memory" && n.size !== undefined) sizeOf.set(n.name, n.size)
  }
  const memories = names.map((name) => ({ name, size: sizeOf.get(name)! }))
  const einsums = setup.contexts.map((ctx): EinsumSpace => {
    const table = generatePmappings(ctx, {
      loaded, config, fusable: setup.fusable, tracked: names, nEinsums: setup.contexts.length, prune: keepAll
    })
    const prepared = table.templates.map((t) => prepareTemplate(t, loaded, setup.composition, columns))
    const groups = table.groups.map((group): Group => {
      const maxDepth = group.depth
      const rows: Array<Row> = []
      for (let r = 0; r < group.rows; r++) {
        const t = group.template[r]!
        const template = table.templates[t]!
        const loops = template.loopPositions.map((p) => template.nodes[p] as LoopSlot)
        const tiles = group.tiles.subarray(group.tileOffset[r]!, group.tileOffset[r]! + loops.length)
        const counts = loopCounter(loops.map((l) => l.rankVariable), ctx.einsum.bounds)(tiles, 0)
        // Fused depth after k loops: the fused loops of more than one iteration among them.
        const depthAfter = [0]
        for (let k = 0; k < loops.length; k++) depthAfter.push(depthAfter[k]! + (loops[k]!.fused && counts[k] !== 1 ? 1 : 0))
        const score = scoreRow(prepared[t]!, tiles, 0)
        const total = new Float64Array(memories.length)
        const at = memories.map(() => new Float64Array(Math.max(maxDepth, depthAfter[loops.length]!) + 2))
        const backing = new Map<string, number>()
        for (const res of score.reservations) {
          const m = names.indexOf(res.component)
          const placement = group.compatibility.tensors.find((p) => p.tensor === res.tensor)
          const isSharedBacking = res.backing && placement !== undefined && placement.component === res.component
          if (isSharedBacking) backing.set(res.tensor, (backing.get(res.tensor) ?? 0) + res.bits)
          if (m < 0) continue
          total[m]! += res.bits
          if (isSharedBacking) continue
          const d = res.persistent ? -1 : depthAfter[res.loopsAbove]!
          at[m]![d + 1]! += res.bits
        }
        const privateUpTo = at.map((levels) => {
          const out = new Float64Array(levels.length + 1)
          for (let k = 0; k < levels.length; k++) out[k + 1] = out[k]! + levels[k]!
          return out
        })
        rows.push({ key: rowKey(t, tiles), values: Float64Array.from(score.values), total, privateUpTo, backing })
      }
      const bySignature = new Map<string, Row>()
      for (const row of rows) {
        const signature = JSON.stringify([[...row.values], [...row.total], row.privateUpTo.map((a) => [...a]), [...row.backing].sort()])
        if (!bySignature.has(signature)) bySignature.set(signature, row)
      }
      return { compatibility: group.compatibility, nest: nestOf(group.compatibility), rows, distinct: [...bySignature.values()] }
    })
    return { name: ctx.einsum.name, tensors: new Set(ctx.einsum.accesses.map((a) => a.tensor)), groups }
  })
  return { composition: setup.composition, columns, memories, einsums, shared: setup.fusable }
}

const sameLoop = (a: FusedLoop, b: FusedLoop): boolean => a.iterations === b.iterations && a.spatial === b.spatial && a.dimension === b.dimension

/**
 * Conditions 1 and 2 for one group per Einsum: undefined when they fail, else the loops
 * Einsum i + 1 shares with Einsum i (s(i, i+1) of them) for every consecutive pair.
 */
export const nesting = (space: Space, groups: ReadonlyArray<Group>): Array<ReadonlyArray<FusedLoop>> | undefined => {
  const placement = new Map<string, string>()
  const attach: Array<ReadonlyArray<FusedLoop>> = []
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!
    if (i > 0) {
      // The open nest: loops of tensors earlier Einsums hold that Einsums ≥ i still use.
      let open: ReadonlyArray<FusedLoop> = []
      for (let j = 0; j < i; j++) {
        for (const t of groups[j]!.compatibility.tensors) {
          if (!space.einsums.slice(i).some((e) => e.tensors.has(t.tensor))) continue
          if (t.loops.length > open.length) open = t.loops
        }
      }
      if (open.length > g.nest.length || open.some((l, k) => !sameLoop(l, g.nest[k]!))) return undefined
      attach.push(open)
    }
    for (const t of g.compatibility.tensors) {
      const key = JSON.stringify([t.component, t.persistent, t.loops])
      const before = placement.get(t.tensor)
      if (before !== undefined && before !== key) return undefined
      placement.set(t.tensor, key)
    }
  }
  return copiesSeen(groups, attach) ? attach : undefined
}

/**
 * Condition 2's copies: any two users i < j of a shared tensor hold the same non-backing copies of it at
 * every level below s(i, j) (above a loop both run inside, where one LoopTree node serves both).
 */
const copiesSeen = (groups: ReadonlyArray<Group>, attach: ReadonlyArray<ReadonlyArray<FusedLoop>>): boolean => {
  const copiesBelow = (t: { readonly copies?: ReadonlyArray<{ readonly node: string; readonly level: number }> }, s: number): string =>
    JSON.stringify((t.copies ?? []).filter((c) => c.level < s).map((c) => [c.node, c.level]).sort())
  for (let i = 0; i < groups.length; i++) {
    let s = Infinity
    for (let j = i + 1; j < groups.length; j++) {
      s = Math.min(s, attach[j - 1]!.length)
      for (const t of groups[i]!.compatibility.tensors) {
        const u = groups[j]!.compatibility.tensors.find((x) => x.tensor === t.tensor)
        if (u !== undefined && copiesBelow(t, s) !== copiesBelow(u, s)) return false
      }
    }
  }
  return true
}

/** s(i, j): loops Einsums i and j share (min over the consecutive pairs between them). */
const sharedMatrix = (attach: ReadonlyArray<number>): Array<Array<number>> => {
  const n = attach.length + 1
  const s = Array.from({ length: n }, () => new Array<number>(n).fill(Infinity))
  for (let i = 0; i < n; i++) {
    let m = Infinity
    for (let j = i + 1; j < n; j++) {
      m = Math.min(m, attach[j - 1]!)
      s[i]![j] = m
      s[j]![i] = m
    }
  }
  return s
}

/**
 * Condition 3's definition for one group tuple, as a function of its rows: what depends only on
 * the groups (shared loops, which shared tensors are live while each Einsum runs) is worked out
 * once per tuple, not once per combination (the brute force's inner loop).
 */
const peakPlan = (space: Space, groups: ReadonlyArray<Group>, attach: ReadonlyArray<number>): (rows: ReadonlyArray<Row>, peak: Float64Array) => void => {
  const n = groups.length
  const s = sharedMatrix(attach)
  const memories = space.memories.length
  // Shared tensors: their placement, users, and backing size (the largest any user reserves).
  const sharedTensors: Array<{ tensor: string; memory: number; users: Array<number> }> = []
  // live[i * memories + m]: shared tensors Einsum i does not use that hold memory m while it runs.
  const live = Array.from({ length: n * memories }, () => new Array<number>())
  for (const tensor of space.shared) {
    const users = space.einsums.flatMap((e, i) => (e.tensors.has(tensor) ? [i] : []))
    const p = groups[users[0]!]!.compatibility.tensors.find((t) => t.tensor === tensor)!
    const memory = space.memories.findIndex((m) => m.name === p.component)
    const depth = depthOf(p)
    const k = sharedTensors.push({ tensor, memory, users }) - 1
    if (memory < 0) continue
    for (let i = 0; i < n; i++) {
      if (space.einsums[i]!.tensors.has(tensor)) continue
      if (users.some((j) => depth < s[i]![j]!) || (users.some((j) => j < i) && users.some((j) => j > i))) live[i * memories + memory]!.push(k)
    }
  }
  // Another Einsum j's private reservations seen while i runs: privateUpTo[m][level[i][j]].
  const level = s.map((row) => row.map((x) => x + 1))
  const bits = new Float64Array(sharedTensors.length)
  return (rows, peak) => {
    peak.fill(0)
    sharedTensors.forEach((t, k) => {
      let b = 0
      for (const u of t.users) b = Math.max(b, rows[u]!.backing.get(t.tensor) ?? 0)
      bits[k] = b
    })
    for (let i = 0; i < n; i++) {
      for (let m = 0; m < memories; m++) {
        let held = rows[i]!.total[m]!
        for (let j = 0; j < n; j++) {
          if (j === i) continue
          const upTo = rows[j]!.privateUpTo[m]!
          held += upTo[Math.min(level[i]![j]!, upTo.length - 1)]!
        }
        for (const k of live[i * memories + m]!) held += bits[k]!
        peak[m] = Math.max(peak[m]!, held / space.memories[m]!.size)
      }
    }
  }
}

/** Peak usage of every memory (fraction of its size) of one combination: condition 3's definition. */
export const peakUsage = (space: Space, groups: ReadonlyArray<Group>, rows: ReadonlyArray<Row>, attach: ReadonlyArray<number>): Float64Array => {
  const peak = new Float64Array(space.memories.length)
  peakPlan(space, groups, attach)(rows, peak)
  return peak
}

/** Every valid combination's objectives and worst usage (max over memories of peak / size). */
export interface Combinations {
  readonly count: number
  readonly energy: Float64Array
  readonly latency: Float64Array
  readonly usage: Float64Array
  /** Combinations (of distinct rows) meeting conditions 1 and 2 (valid or over capacity). */
  readonly placed: number
  /** Optima over every placed combination, capacity ignored (shows whether capacity binds). */
  readonly uncapped: Readonly<Record<Metric, number>>
}

export class TooManyCombinations extends Error {}

/** All combinations meeting conditions 1-3; throws TooManyCombinations above `limit` placed ones. */
export const enumerate = (space: Space, limit = 200_000): Combinations => {
  const n = space.einsums.length
  // Group tuples first (conditions 1 and 2 depend on compatibilities only).
  const tuples: Array<{ groups: Array<Group>; nests: Array<ReadonlyArray<FusedLoop>> }> = []
  let placed = 0
  const chosen: Array<Group> = []
  const walk = (i: number): void => {
    if (i === n) {
      const nests = nesting(space, chosen)
      if (nests === undefined) return
      placed += chosen.reduce((p, g) => p * g.distinct.length, 1)
      if (placed > limit) throw new TooManyCombinations(`more than ${limit} placed combinations`)
      tuples.push({ groups: [...chosen], nests })
      return
    }
    for (const g of space.einsums[i]!.groups) {
      chosen.push(g)
      // Prune prefixes that already break conditions 1 or 2 (nesting only looks backwards
      // and at which Einsums use which tensors, so a failing prefix fails every extension).
      if (nesting(space, chosen) !== undefined) walk(i + 1)
      chosen.pop()
    }
  }
  walk(0)
  const energy: Array<number> = []
  const latency: Array<number> = []
  const usage: Array<number> = []
  const uncapped: Record<Metric, number> = { energy: Infinity, latency: Infinity, edp: Infinity }
  const totalsOf = totalsFolder(space)
  const peak = new Float64Array(space.memories.length)
  for (const { groups, nests } of tuples) {
    const usageOf = peakPlan(space, groups, nests.map((n) => n.length))
    const index = new Array<number>(n).fill(0)
    const rows = groups.map((g) => g.distinct[0]!)
    for (;;) {
      for (let e = 0; e < n; e++) rows[e] = groups[e]!.distinct[index[e]!]!
      usageOf(rows, peak)
      const worst = peak.reduce((a, b) => Math.max(a, b), 0)
      const { energy: e, latency: l } = totalsOf(rows, nests)
      for (const metric of ["energy", "latency", "edp"] as const) uncapped[metric] = Math.min(uncapped[metric], objectiveOf(metric, e, l))
      if (worst <= 1 + TOLERANCE) {
        energy.push(e)
        latency.push(l)
        usage.push(worst)
      }
      let k = n - 1
      while (k >= 0 && ++index[k]! === groups[k]!.distinct.length) index[k--] = 0
      if (k < 0) break
    }
  }
  return { count: energy.length, energy: Float64Array.from(energy), latency: Float64Array.from(latency), usage: Float64Array.from(usage), placed, uncapped }
}

/** EDP is energy × latency of the whole mapping in every mode (model compose/). */
export const objectiveOf = (metric: Metric, energy: number, latency: number): number =>
  metric === "energy" ? energy : metric === "latency" ? latency : energy * latency

/** The brute-force optimum of `metric` over combinations whose worst usage is ≤ `maxUsage` (Infinity when none). */
export const optimum = (c: Combinations, metric: Metric, maxUsage = 1 + TOLERANCE): number => {
  let best = Infinity
  for (let k = 0; k < c.count; k++) {
    if (c.usage[k]! > maxUsage) continue
    const v = objectiveOf(metric, c.energy[k]!, c.latency[k]!)
    if (v < best) best = v
  }
  return best
}

/** The mapper's chosen mapping, judged by the brute force's definitions. */
export interface Judged {
  /** Objectives of the chosen row as the join composed them (NaN when the metric set has no such objective). */
  readonly joined: { readonly energy: number; readonly latency: number }
  /** The chosen mapping as the model evaluates it (the Mapper's final evaluation). */
  readonly evaluated: { readonly energy: number; readonly latency: number }
  /** The objectives the Mapper service reports for its answer. */
  readonly objectives: Readonly<Record<string, number>>
  /** Keys (template|tiles) of the chosen pmapping per Einsum. */
  readonly keys: ReadonlyArray<string>
  /** Conditions 1 and 2 hold. */
  readonly placed: boolean
  /** Peak usage per memory (fraction of its size), by condition 3's definition. */
  readonly peak: Readonly<Record<string, number>>
  readonly energy: number
  readonly latency: number
}

/** Judge a combination given by row keys (one per Einsum). */
export const judgeKeys = (space: Space, keys: ReadonlyArray<string>): Omit<Judged, "joined" | "evaluated" | "objectives" | "keys"> => {
  const picked = space.einsums.map((e) => {
    for (const g of e.groups) {
      const row = g.rows.find((r) => r.key === keys[space.einsums.indexOf(e)])
      if (row !== undefined) return { group: g, row }
    }
    throw new Error(`Einsum ${e.name}: the mapper chose pmapping ${keys[space.einsums.indexOf(e)]}, which is not among its valid pmappings`)
  })
  const groups = picked.map((p) => p.group)
  const rows = picked.map((p) => p.row)
  const nests = nesting(space, groups)
  const peak = nests === undefined ? new Float64Array(space.memories.length).fill(NaN) : peakUsage(space, groups, rows, nests.map((n) => n.length))
  const { energy, latency } = nests === undefined ? { energy: NaN, latency: NaN } : combinationTotals(space, rows, nests)
  return { placed: nests !== undefined, peak: Object.fromEntries(space.memories.map((m, i) => [m.name, peak[i]!])), energy, latency }
}

/** The pmapping (template|tiles) behind a table-wide row id. */
export const keyOfId = (table: PmappingTable, id: number): string => {
  const { group, row } = rowOfId(table, id)
  const t = group.template[row]!
  const loops = table.templates[t]!.loopPositions.length
  return rowKey(t, group.tiles.subarray(group.tileOffset[row]!, group.tileOffset[row]! + loops))
}

/** Run the Mapper service (default services, one thread) with `config` and judge the row it picks. */
export const judgeMapper = async (space: Space, loaded: LoadedSpec, config: MapperConfig): Promise<Judged> => {
  const { tables, front, row, objectives, evaluation } = await mapSpec(withConfig(loaded, config))
  const keys = tables.map((table, e) => keyOfId(table, front.choices[e]![row]!))
  return {
    joined: { energy: objectives.energy ?? NaN, latency: objectives.latency ?? NaN },
    evaluated: { energy: evaluation.energy, latency: evaluation.latency },
    objectives,
    keys,
    ...judgeKeys(space, keys)
  }
}
