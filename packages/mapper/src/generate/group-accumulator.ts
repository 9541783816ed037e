/**
 * Collects scored rows per compatibility key in arrival order, then Pareto-prunes each group.
 * Keep-first on exact ties plus a deterministic arrival order (templates longest first, rows
 * in enumeration order) decides which of several equally good pmappings survives.
 */
import type { Compatibility } from "../compatibility/compatibility.ts"
import type { Goal, ParetoOptions } from "../pareto/index.ts"
import type { PruneFunction } from "../service/pareto-pruner.ts"
import { GrowableF64, GrowableI32 } from "./growable-array.ts"
import type { PmappingGroup } from "./pmapping-table.ts"

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
  constructor(key: string, compatibility: Compatibility, layout: GroupLayout) {
    this.key = key
    this.compatibility = compatibility
    this.layout = layout
    this.columns = Array.from({ length: layout.width }, () => new GrowableF64())
  }
  get rows(): number {
    return this.template.length
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

  /** The group of a compatibility (created on first use): a handle for `add`. */
  group(key: string, compatibility: Compatibility, layout: GroupLayout): GroupBuilder {
    let g = this.groups.get(key)
    if (g === undefined) {
      g = new GroupBuilder(key, compatibility, layout)
      this.groups.set(key, g)
    }
    return g
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
    const loopsEnd = part.tiles.length
    for (let r = 0; r < part.rows; r++) {
      g.template.push(part.template[r]!)
      g.tileOffset.push(g.tiles.length)
      const end = r + 1 < part.rows ? part.tileOffset[r + 1]! : loopsEnd
      for (let k = part.tileOffset[r]!; k < end; k++) g.tiles.push(part.tiles[k]!)
      for (let c = 0; c < g.layout.width; c++) g.columns[c]!.push(part.columns[c]![r]!)
    }
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
      const columns = g.columns.map((c) => c.view())
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
    const compared = g.columns.slice(0, g.layout.paretoWidth).map((c) => c.view())
    return this.prune(compared, compared.map((): Goal => "min"), g.layout.options)
  }

  /** Pareto-prune every group; groups come out in first-seen order. */
  finish(): Array<PmappingGroup> {
    return [...this.groups.values()].map((g) => this.pruned(g))
  }

  private pruned(g: GroupBuilder): PmappingGroup {
    const columns = g.columns.map((c) => c.view())
    const keep = this.keep(g)
    const template = g.template.view()
    const offsets = g.tileOffset.view()
    const allTiles = g.tiles.view()
    const tileOffset = new Int32Array(keep.length)
    const tileParts: Array<number> = []
    keep.forEach((row, i) => {
      tileOffset[i] = tileParts.length
      const end = row + 1 < offsets.length ? offsets[row + 1]! : allTiles.length
      for (let k = offsets[row]!; k < end; k++) tileParts.push(allTiles[k]!)
    })
    return {
      key: g.key,
      compatibility: g.compatibility,
      generated: g.generated,
      rows: keep.length,
      depth: g.layout.depth,
      template: Int32Array.from(keep, (r) => template[r]!),
      tileOffset,
      tiles: Int32Array.from(tileParts),
      columns: columns.map((c) => Float64Array.from(keep, (r) => c[r]!))
    }
  }
}
