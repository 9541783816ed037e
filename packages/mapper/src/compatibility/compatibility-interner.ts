/**
 * Interned compatibilities for one template: a row's compatibility is decided by the counts of
 * the loops its plan reads (the loops above shared tensors' backing nodes), so rows are mapped
 * to a small integer by those counts in an open-addressing table over typed arrays. The
 * Compatibility record and its key are built once per distinct id, never per row.
 */
import { type Compatibility, type CompatibilityPlan, compatibilityKey, rowCompatibility } from "./compatibility.ts"

const SEED = 0x811c9dc5
/** FNV-style mixing of one count (integral in practice; the high part keeps large ones apart). */
const mix = (h: number, v: number): number => Math.imul(h ^ (v | 0) ^ Math.floor(v / 4294967296), 0x01000193)

export interface InternedCompatibility {
  readonly compatibility: Compatibility
  readonly key: string
}

export class CompatibilityInterner {
  private readonly plan: CompatibilityPlan
  /** The loops the plan reads, ascending. */
  private readonly loops: Int32Array
  private slots: Int32Array
  private keys: Float64Array
  private readonly entries: Array<InternedCompatibility> = []

  constructor(plan: CompatibilityPlan) {
    this.plan = plan
    this.loops = Int32Array.from(new Set(plan.entries.flatMap((e) => e.loops.map((l) => l.loop)))).sort()
    this.slots = new Int32Array(64).fill(-1)
    this.keys = new Float64Array(0)
  }

  /** The id of the compatibility of a row with these loop counts (ids count up from 0 in first-seen order). */
  idOf(counts: ArrayLike<number>): number {
    const loops = this.loops
    const n = loops.length
    let h = SEED
    for (let j = 0; j < n; j++) h = mix(h, counts[loops[j]!]!)
    const mask = this.slots.length - 1
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const id = this.slots[s]!
      if (id < 0) return this.insert(s, counts)
      let same = true
      for (let j = 0; j < n && same; j++) same = this.keys[id * n + j] === counts[loops[j]!]
      if (same) return id
    }
  }

  entry(id: number): InternedCompatibility {
    return this.entries[id]!
  }

  private insert(slot: number, counts: ArrayLike<number>): number {
    const n = this.loops.length
    const id = this.entries.length
    const compatibility = rowCompatibility(this.plan, counts)
    this.entries.push({ compatibility, key: compatibilityKey(compatibility) })
    if ((id + 1) * n > this.keys.length) {
      const bigger = new Float64Array(Math.max(16, this.keys.length * 2, (id + 1) * n))
      bigger.set(this.keys)
      this.keys = bigger
    }
    for (let j = 0; j < n; j++) this.keys[id * n + j] = counts[this.loops[j]!]!
    this.slots[slot] = id
    if (this.entries.length * 2 > this.slots.length) this.rehash()
    return id
  }

  private rehash(): void {
    const n = this.loops.length
    this.slots = new Int32Array(this.slots.length * 2).fill(-1)
    const mask = this.slots.length - 1
    for (let id = 0; id < this.entries.length; id++) {
      let h = SEED
      for (let j = 0; j < n; j++) h = mix(h, this.keys[id * n + j]!)
      let s = h & mask
      while (this.slots[s]! >= 0) s = (s + 1) & mask
      this.slots[s] = id
    }
  }
}
