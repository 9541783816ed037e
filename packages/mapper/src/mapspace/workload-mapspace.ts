/**
 * The whole workload's fused mappings as choices (seed 001's simulated-annealing baseline): per
 * Einsum, a compatibility group of FFM's per-Einsum Pareto table and one pmapping row of it.
 * A choice is scored by the join itself (FFM §5): the chosen rows become one-row tables and go
 * through `joinPmappings`, so compatibility, loop nesting and cross-Einsum capacity are judged
 * exactly as FFM's join judges them, and the objectives add up as the join adds them.
 *
 * Strategies see a `WorkloadView`: the table shapes, and draws of a group and a row that keep
 * the Einsums sharing a tensor in agreement on where it sits (the "relevant SIMs" of seed 001).
 * Every draw of a pmapping is charged through `charge`: a strategy cannot pick one for free.
 */
import type { MapperConfig } from "@effect-accelforge/core"
import { type Composition, SEQUENTIAL } from "@effect-accelforge/model"
import { placementKey } from "../join/compatibility-join.ts"
import { joinPmappings, type JoinResult } from "../join/join-pmappings.ts"
import { NoValidMappingError } from "../errors.ts"
import type { PmappingGroup, PmappingTable } from "../generate/pmapping-table.ts"
import type { Random } from "../search/random-source.ts"

export interface WorkloadChoice {
  /** Per Einsum, the index of its compatibility group in its table. */
  readonly groups: Int32Array
  /** Per Einsum, the row within that group. */
  readonly rows: Int32Array
}

export const copyChoice = (c: WorkloadChoice): WorkloadChoice => ({ groups: c.groups.slice(), rows: c.rows.slice() })

export interface WorkloadView {
  readonly einsums: number
  readonly groups: (einsum: number) => number
  readonly rows: (einsum: number, group: number) => number
  /** A random choice whose Einsums agree on every shared tensor's placement (undefined when the draws hit a dead end). */
  readonly randomChoice: (random: Random) => WorkloadChoice | undefined
  /**
   * Give Einsum `einsum` a random group and row, then redraw the Einsums whose groups no longer
   * agree with it on a shared tensor (keeping those that still agree). False when some Einsum
   * has no agreeing group; `choice` is then partly changed.
   */
  readonly mutate: (choice: WorkloadChoice, einsum: number, random: Random) => boolean
  /** Make the other Einsums agree with `einsum`'s group, as `mutate` does after its draw. */
  readonly repair: (choice: WorkloadChoice, einsum: number, random: Random) => boolean
}

export type JoinOutcome =
  | { readonly valid: true; readonly joined: JoinResult; readonly tables: ReadonlyArray<PmappingTable>; readonly objectives: Float64Array }
  | { readonly valid: false; readonly reason: string }

/** One row of a group as a one-group, one-row table (views on the original arrays, no copies). */
const singleRow = (table: PmappingTable, g: number, r: number): PmappingTable => {
  const group = table.groups[g]!
  const offset = group.tileOffset[r]!
  const loops = table.templates[group.template[r]!]!.loopPositions.length
  const one: PmappingGroup = {
    ...group,
    generated: 1,
    rows: 1,
    template: group.template.subarray(r, r + 1),
    tileOffset: Int32Array.of(0),
    tiles: group.tiles.subarray(offset, offset + loops),
    columns: group.columns.map((c) => c.subarray(r, r + 1))
  }
  return { ...table, groups: [one] }
}

export class WorkloadMapspace implements WorkloadView {
  readonly tables: ReadonlyArray<PmappingTable>
  readonly einsums: number
  /** Combinations in all (a float: the product of every Einsum's Pareto rows). */
  readonly size: number
  private readonly config: MapperConfig
  private readonly einsumTensors: ReadonlyArray<ReadonlySet<string>>
  /** Per Einsum, the other Einsums it shares tensors with, and those tensors. */
  private readonly partners: ReadonlyArray<ReadonlyArray<{ readonly einsum: number; readonly tensors: ReadonlySet<string> }>>
  private readonly keys = new Map<string, string>()
  /** Called for every pmapping drawn, with its Einsum. */
  charge: (einsum: number) => void = () => {}

  /** How the chosen rows' columns combine (model compose/). */
  private readonly composition: Composition

  constructor(tables: ReadonlyArray<PmappingTable>, einsumTensors: ReadonlyArray<ReadonlySet<string>>, config: MapperConfig, composition: Composition = SEQUENTIAL) {
    this.composition = composition
    this.tables = tables
    this.einsums = tables.length
    this.config = config
    this.einsumTensors = einsumTensors
    this.size = tables.reduce((p, t) => p * t.groups.reduce((s, g) => s + g.rows, 0), 1)
    this.partners = einsumTensors.map((own, e) =>
      einsumTensors.flatMap((other, f) => {
        if (f === e) return []
        const tensors = new Set([...own].filter((t) => other.has(t)))
        return tensors.size === 0 ? [] : [{ einsum: f, tensors }]
      })
    )
  }

  groups(einsum: number): number {
    return this.tables[einsum]!.groups.length
  }

  rows(einsum: number, group: number): number {
    return this.tables[einsum]!.groups[group]!.rows
  }

  /** Where group `g` of Einsum `e` places `tensors` (memoized: compared for every candidate group). */
  private placement(e: number, g: number, partner: number, tensors: ReadonlySet<string>): string {
    const key = `${e}/${g}/${partner}`
    let p = this.keys.get(key)
    if (p === undefined) {
      p = placementKey(this.tables[e]!.groups[g]!.compatibility, tensors)
      this.keys.set(key, p)
    }
    return p
  }

  /** Whether group `g` of Einsum `e` agrees with the fixed Einsums' groups on every tensor they share. */
  private agrees(choice: WorkloadChoice, e: number, g: number, fixed: ReadonlySet<number>): boolean {
    for (const p of this.partners[e]!) {
      if (!fixed.has(p.einsum)) continue
      if (this.placement(e, g, p.einsum, p.tensors) !== this.placement(p.einsum, choice.groups[p.einsum]!, e, p.tensors)) return false
    }
    return true
  }

  /** Draw a group of Einsum `e` agreeing with the fixed ones, and a row of it. */
  private draw(choice: WorkloadChoice, e: number, fixed: ReadonlySet<number>, random: Random): boolean {
    const candidates: Array<number> = []
    for (let g = 0; g < this.groups(e); g++) if (this.agrees(choice, e, g, fixed)) candidates.push(g)
    if (candidates.length === 0) return false
    const g = candidates[random.below(candidates.length)]!
    choice.groups[e] = g
    choice.rows[e] = random.below(this.rows(e, g))
    this.charge(e)
    return true
  }

  randomChoice(random: Random): WorkloadChoice | undefined {
    const choice = { groups: new Int32Array(this.einsums), rows: new Int32Array(this.einsums) }
    const fixed = new Set<number>()
    for (let e = 0; e < this.einsums; e++) {
      if (!this.draw(choice, e, fixed, random)) return undefined
      fixed.add(e)
    }
    return choice
  }

  mutate(choice: WorkloadChoice, einsum: number, random: Random): boolean {
    if (!this.draw(choice, einsum, new Set(), random)) return false
    return this.repair(choice, einsum, random)
  }

  repair(choice: WorkloadChoice, einsum: number, random: Random): boolean {
    const fixed = new Set([einsum])
    const queue = [einsum]
    while (queue.length > 0) {
      const e = queue.shift()!
      for (const p of this.partners[e]!) {
        if (fixed.has(p.einsum)) continue
        if (!this.agrees(choice, p.einsum, choice.groups[p.einsum]!, fixed) && !this.draw(choice, p.einsum, fixed, random)) return false
        fixed.add(p.einsum)
        queue.push(p.einsum)
      }
    }
    return true
  }

  /** The chosen rows as one-row tables. */
  chosenTables(choice: WorkloadChoice): Array<PmappingTable> {
    return this.tables.map((t, e) => singleRow(t, choice.groups[e]!, choice.rows[e]!))
  }

  /** Join the chosen rows with FFM's join: invalid when their compatibilities do not meet or a memory overflows. */
  join(choice: WorkloadChoice): JoinOutcome {
    const tables = this.chosenTables(choice)
    try {
      const joined = joinPmappings(tables, { config: this.config, einsumTensors: this.einsumTensors, composition: this.composition })
      if (joined.front.rows === 0) return { valid: false, reason: "the join kept no row" }
      return { valid: true, joined, tables, objectives: Float64Array.from(joined.front.objectives, (c) => c[0]!) }
    } catch (e) {
      if (e instanceof NoValidMappingError) return { valid: false, reason: e.message }
      throw e
    }
  }
}
