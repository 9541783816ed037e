/**
 * Collects scored rows per compatibility key in arrival order, then Pareto-prunes each group.
 * Keep-first on exact ties plus a deterministic arrival order (templates longest first, rows
 * in enumeration order) decides which of several equally good pmappings survives.
 */
import type { Compatibility } from "../compatibility/compatibility.ts"
import type { Goal, ParetoOptions } from "../pareto/index.ts"
import type { PruneFunction } from "../service/pareto-pruner.ts"
import type { PmappingGroup } from "./pmapping-table.ts"

class Growable {
  data: Float64Array | Int32Array
  length = 0
  readonly kind: "f64" | "i32"
  constructor(kind: "f64" | "i32") {
    this.kind = kind
    this.data = kind === "f64" ? new Float64Array(16) : new Int32Array(16)
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.kind === "f64" ? new Float64Array(this.data.length * 2) : new Int32Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = value
  }
  view(): Float64Array | Int32Array {
    return this.data.subarray(0, this.length)
  }
}

export class GroupBuilder {
  readonly template = new Growable("i32")
  readonly tileOffset = new Growable("i32")
  readonly tiles = new Growable("i32")
  readonly columns: Array<Growable>
  generated = 0
  readonly key: string
  readonly compatibility: Compatibility
  readonly layout: GroupLayout
  constructor(key: string, compatibility: Compatibility, layout: GroupLayout) {
    this.key = key
    this.compatibility = compatibility
    this.layout = layout
    this.columns = Array.from({ length: layout.width }, () => new Growable("f64"))
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
  constructor(prune: PruneFunction) {
    this.prune = prune
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

  /** Pareto-prune every group; groups come out in first-seen order. */
  finish(): Array<PmappingGroup> {
    return [...this.groups.values()].map((g) => this.pruned(g))
  }

  private pruned(g: GroupBuilder): PmappingGroup {
    const columns = g.columns.map((c) => c.view() as Float64Array)
    const compared = columns.slice(0, g.layout.paretoWidth)
    const keep = this.prune(compared, compared.map((): Goal => "min"), g.layout.options)
    const template = g.template.view() as Int32Array
    const offsets = g.tileOffset.view() as Int32Array
    const allTiles = g.tiles.view() as Int32Array
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
