/**
 * Collects scored rows per compatibility key, then Pareto-prunes each group. Keep-first on exact
 * ties in template order (templates longest first, each one's rows in enumeration order) decides
 * which of several equally good pmappings survives, and groups come out in the order the
 * templates first see them. Templates may arrive in any order (a thread's jobs, the workers'
 * parts, see parallel/jobs-here.ts): a group's rows are put back in template order before each
 * prune, and groups sorted by where they were first seen, so that the table is the one a search
 * of every template in order gives, whatever order they were searched in.
 */
import type { Compatibility } from "../compatibility/compatibility.ts"
import type { Goal, ParetoOptions } from "../pareto/index.ts"
import type { PruneFunction } from "../service/pareto-pruner.ts"
import { GrowableF64, GrowableI32 } from "./growable-array.ts"
import type { PmappingGroup } from "./pmapping-table.ts"
import { packedMap } from "../pareto/packed-map.ts"

/** The rows kept of a group of one. */
const ONE_ROW = Int32Array.of(0)

/** `width` goals "min", one array per width (every group asks). */
const minGoals: Array<ReadonlyArray<Goal>> = []
const minimized = (width: number): ReadonlyArray<Goal> => (minGoals[width] ??= Array.from({ length: width }, (): Goal => "min"))

/** Groups smaller than this are left for the final prune. */
const SETTLE_AT_LEAST = 4096

export class GroupBuilder {
  readonly template = new GrowableI32()
  readonly tileOffset = new GrowableI32()
  readonly tiles = new GrowableI32()
  readonly columns: Array<GrowableF64>
  generated = 0
  /** Rows right after the last in-place prune (`GroupAccumulator.settle`). */
  settled = 0
  readonly key: string
  readonly compatibility: Compatibility
  readonly layout: GroupLayout
  /** Where it was first seen: the lowest template of any row (a part's first template for a part's groups), and the order of first sight there. */
  firstTemplate = Infinity
  firstSeen = 0
  /** The highest template of its rows, and whether its rows are in template order (they arrived so). */
  lastTemplate = -1
  inTemplateOrder = true
  /** The undoable template this group was last touched in, and what it was before (GroupAccumulator.undo): made in it, or its rows, tiles and fields then. */
  epoch = 0
  madeInEpoch = false
  readonly before = { rows: 0, tiles: 0, generated: 0, settled: 0, firstTemplate: Infinity, firstSeen: 0, lastTemplate: -1, inTemplateOrder: true }
  constructor(key: string, compatibility: Compatibility, layout: GroupLayout) {
    this.key = key
    this.compatibility = compatibility
    this.layout = layout
    this.columns = Array.from({ length: layout.width }, () => new GrowableF64())
  }
  get rows(): number {
    return this.template.length
  }

  /** Keeps what it is now, for `restore` (an undoable template is about to add to it). */
  remember(): void {
    const b = this.before
    this.madeInEpoch = false
    b.rows = this.rows
    b.tiles = this.tiles.length
    b.generated = this.generated
    b.settled = this.settled
    b.firstTemplate = this.firstTemplate
    b.firstSeen = this.firstSeen
    b.lastTemplate = this.lastTemplate
    b.inTemplateOrder = this.inTemplateOrder
  }

  /** Back to what it was at `remember`: the rows added since dropped (no prune ran since). */
  restore(): void {
    const b = this.before
    this.template.length = b.rows
    this.tileOffset.length = b.rows
    for (const c of this.columns) c.length = b.rows
    this.tiles.length = b.tiles
    this.generated = b.generated
    this.settled = b.settled
    this.firstTemplate = b.firstTemplate
    this.firstSeen = b.firstSeen
    this.lastTemplate = b.lastTemplate
    this.inTemplateOrder = b.inTemplateOrder
  }
}

/** A group's columns: `width` in all, the first `paretoWidth` compared, `depth` its fused depth. */
export interface GroupLayout {
  readonly depth: number
  readonly width: number
  readonly paretoWidth: number
  /** Pareto tolerances of the compared columns. */
  readonly options: ParetoOptions
}

export class GroupAccumulator {
  private readonly groups = new Map<string, GroupBuilder>()
  private readonly prune: PruneFunction
  private readonly incremental: boolean
  /** Sights of groups so far (orders the first sights within one template). */
  private sights = 0
  /** The highest template seen, and whether the groups were first seen in template order (so far always, for a search in order). */
  private lastTemplate = -1
  private groupsInOrder = true
  /** The undoable template's number (0: none) and the groups it touched (each keeps what it was before). */
  private epoch = 0
  private readonly touched: Array<GroupBuilder> = []
  /**
   * `incremental`: whether pruning a group's rows so far and then the survivors with later
   * rows keeps exactly what one prune of all rows keeps. True for exact dominance with the
   * keep-first tie rule (a dropped row's dominator, or that one's, is still there, and the
   * survivors keep their order); not under tolerances, whose rounding depends on the whole column.
   */
  constructor(prune: PruneFunction, incremental = false) {
    this.prune = prune
    this.incremental = incremental
  }

  /**
   * The group of a compatibility (created on first use): a handle for `add`, once per template
   * that has rows of it (the rows of `template` follow), or for `addGroup`, `template` then the
   * first of the part's templates.
   */
  group(key: string, compatibility: Compatibility, layout: GroupLayout, template: number): GroupBuilder {
    let g = this.groups.get(key)
    if (g === undefined) {
      g = new GroupBuilder(key, compatibility, layout)
      this.groups.set(key, g)
      g.madeInEpoch = true
      if (this.epoch > 0) this.touched.push(g)
    } else if (this.epoch > 0 && g.epoch !== this.epoch) {
      g.remember()
      this.touched.push(g)
    }
    g.epoch = this.epoch
    if (template < g.firstTemplate) {
      if (template < this.lastTemplate) this.groupsInOrder = false
      g.firstTemplate = template
      g.firstSeen = this.sights
    }
    this.sights++
    if (template < g.lastTemplate) g.inTemplateOrder = false
    if (template > g.lastTemplate) g.lastTemplate = template
    if (template > this.lastTemplate) this.lastTemplate = template
    return g
  }

  /**
   * The rows and groups added from now on may be taken back (`undo`): a template stopped inside
   * (the probe's end, a thread's job past its cap). No prune may run until it ends (`settle`
   * after it is fine).
   */
  undoable(): void {
    this.epoch++
    this.touched.length = 0
  }

  /** Takes back what was added since `undoable`: the groups as they were. */
  undo(): void {
    for (const g of this.touched) {
      if (g.madeInEpoch) {
        this.groups.delete(g.key)
        continue
      }
      g.restore()
    }
    this.touched.length = 0
    // Conservative: a later finish sorts groups by where they were first seen, which is their order anyway.
    this.groupsInOrder = false
  }

  /** Appends one scored row (its tiles at `offset`, its columns in `values`) to group `g`. */
  add(g: GroupBuilder, template: number, tiles: ArrayLike<number>, offset: number, loops: number, values: ArrayLike<number>): void {
    g.generated++
    g.template.push(template)
    g.tileOffset.push(g.tiles.length)
    for (let k = 0; k < loops; k++) g.tiles.push(tiles[offset + k]!)
    for (let c = 0; c < g.layout.width; c++) g.columns[c]!.push(values[c]!)
  }

  /** Counts a row of group `g` that fits but is dropped before scoring (no better than an earlier row: see DominanceCache). */
  addDominated(g: GroupBuilder): void {
    g.generated++
  }

  /** Appends every row of a group of a part's table (in order), and its count of generated rows. */
  addGroup(g: GroupBuilder, part: PmappingGroup): void {
    g.generated += part.generated
    if (part.rows === 0) return
    // A part's rows are in template order: its last row's template is its highest.
    const last = part.template[part.rows - 1]!
    if (last > g.lastTemplate) g.lastTemplate = last
    if (last > this.lastTemplate) this.lastTemplate = last
    // A part's rows' tiles lie back to back from its first row's: copied whole, the offsets moved past the rows before.
    const first = part.tileOffset[0]!
    g.template.pushAll(part.template, 0, part.rows)
    g.tileOffset.pushAll(part.tileOffset, 0, part.rows, g.tiles.length - first)
    g.tiles.pushAll(part.tiles, first, part.tiles.length)
    for (let c = 0; c < g.layout.width; c++) g.columns[c]!.pushAll(part.columns[c]!, 0, part.rows)
  }

  /**
   * Between templates: prune in place every group that has doubled since it was last pruned
   * (when pruning is incremental), so memory follows the fronts rather than every scored row.
   */
  settle(): void {
    if (!this.incremental) return
    for (const g of this.groups.values()) {
      if (g.rows < SETTLE_AT_LEAST || g.rows < 2 * g.settled) continue
      const keep = this.keep(g)
      const template = g.template.view()
      const offsets = g.tileOffset.view()
      const tiles = g.tiles.view()
      const columns = packedMap(g.columns, (c) => c.view())
      let tileEnd = 0
      keep.forEach((row, i) => {
        template[i] = template[row]!
        const start = offsets[row]!
        const end = row + 1 < offsets.length ? offsets[row + 1]! : g.tiles.length
        offsets[i] = tileEnd
        for (let k = start; k < end; k++) tiles[tileEnd++] = tiles[k]!
        for (const c of columns) c[i] = c[row]!
      })
      g.template.length = keep.length
      g.tileOffset.length = keep.length
      g.tiles.length = tileEnd
      for (const c of g.columns) c.length = keep.length
      g.settled = keep.length
    }
  }

  private keep(g: GroupBuilder): Int32Array {
    // An exact front of one row is that row (most groups of a single template's search have one or two).
    if (this.incremental && g.rows === 1) return ONE_ROW
    // Ties keep the first row in template order: the rows are put in it first.
    if (!g.inTemplateOrder) inTemplateOrder(g)
    const compared = packedMap(g.columns.slice(0, g.layout.paretoWidth), (c) => c.view())
    return this.prune(compared, minimized(compared.length), g.layout.options)
  }

  /** Pareto-prune every group; groups come out in the order the templates, in order, first see them. */
  finish(): Array<PmappingGroup> {
    const groups = [...this.groups.values()]
    if (!this.groupsInOrder) groups.sort((a, b) => a.firstTemplate - b.firstTemplate || a.firstSeen - b.firstSeen)
    return groups.map((g) => this.pruned(g))
  }

  /** A group's kept rows as typed arrays, sized first and filled by plain loops: a search of many small groups (a template's, searched as a job of its own) makes thousands. */
  private pruned(g: GroupBuilder): PmappingGroup {
    const keep = this.keep(g)
    const { tileOffset, tiles } = gatherTiles(g, keep)
    return {
      key: g.key,
      compatibility: g.compatibility,
      generated: g.generated,
      rows: keep.length,
      depth: g.layout.depth,
      template: g.template.gather(keep),
      tileOffset,
      tiles,
      columns: g.columns.map((c) => c.gather(keep))
    }
  }
}

/**
 * The tiles of a group's rows `rows`, in that order, back to back, and where each row's begin.
 * Loop-free on purpose, its loops in functions of their own: a first large group once made V8
 * compile this function on the stack (OSR) inside its counting loop, before the allocations
 * after it had any type feedback, and every later call entered that code at the loop and fell
 * back to the interpreter at the first allocation (over a hundred deopts in some runs).
 */
const gatherTiles = (g: GroupBuilder, rows: Int32Array): { readonly tileOffset: Int32Array<ArrayBuffer>; readonly tiles: Int32Array<ArrayBuffer> } => {
  const offsets = g.tileOffset.view()
  const allTiles = g.tiles.view()
  const tileOffset = new Int32Array(rows.length)
  const tiles = new Int32Array(tileCount(offsets, allTiles, rows))
  copyTiles(offsets, allTiles, rows, tileOffset, tiles)
  return { tileOffset, tiles }
}

/** How many tiles the rows `rows` have together. */
const tileCount = (offsets: Int32Array, allTiles: Int32Array, rows: Int32Array): number => {
  let count = 0
  for (let i = 0; i < rows.length; i++) count += tileEnd(offsets, allTiles, rows[i]!) - offsets[rows[i]!]!
  return count
}

/** Copies the tiles of the rows `rows` back to back into `tiles`, where each row's begin into `tileOffset`. */
const copyTiles = (offsets: Int32Array, allTiles: Int32Array, rows: Int32Array, tileOffset: Int32Array, tiles: Int32Array): void => {
  let at = 0
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!
    tileOffset[i] = at
    for (let k = offsets[row]!, end = tileEnd(offsets, allTiles, row); k < end; k++) tiles[at++] = allTiles[k]!
  }
}

/**
 * Where row `row`'s tiles end. One function for every call, not a closure per `gatherTiles` call:
 * optimized code of its loops had the first call's closure as the call target, and each later
 * call's new closure deoptimized it ("wrong call target").
 */
const tileEnd = (offsets: Int32Array, allTiles: Int32Array, row: number): number =>
  row + 1 < offsets.length ? offsets[row + 1]! : allTiles.length

/** Puts a group's rows in template order, each template's rows in the order they came. */
const inTemplateOrder = (g: GroupBuilder): void => {
  const order = templateOrder(g.template.view(), g.lastTemplate)
  const { tileOffset, tiles } = gatherTiles(g, order)
  g.template.reorder(order)
  g.tileOffset.data = tileOffset
  g.tiles.data = tiles
  for (const c of g.columns) c.reorder(order)
  g.inTemplateOrder = true
}

/**
 * The rows in template order by a stable counting sort on the template (none above
 * `lastTemplate`), one loop per function for the reason `gatherTiles` says: code compiled on the
 * stack in a first loop must not meet, after it, code that has not run yet (it did: the next
 * loop's first access, dozens of deopts a run).
 */
const templateOrder = (template: Int32Array, lastTemplate: number): Int32Array => {
  const next = new Int32Array(lastTemplate + 2)
  const order = new Int32Array(template.length)
  countPerTemplate(template, next)
  runningSum(next)
  placeInTemplateOrder(template, next, order)
  return order
}

/** `next[t + 1]` counts the rows of template `t`. */
const countPerTemplate = (template: Int32Array, next: Int32Array): void => {
  for (let r = 0; r < template.length; r++) next[template[r]! + 1]!++
}

/** Each count becomes where its template's rows begin. */
const runningSum = (next: Int32Array): void => {
  for (let t = 1; t < next.length; t++) next[t]! += next[t - 1]!
}

/** Each row to the next place of its template. */
const placeInTemplateOrder = (template: Int32Array, next: Int32Array, order: Int32Array): void => {
  for (let r = 0; r < template.length; r++) order[next[template[r]!]!++] = r
}
