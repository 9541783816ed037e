/**
 * Capacity and spatial usage (model §6). Occupancy is what one instance of a memory holds at
 * each reservation, in bits; the memory must fit the sum. For several Einsums, what a memory
 * holds above their common loops stays allocated while each of them runs, so a tensor reserved
 * there by another Einsum counts too (at their split, only while the tensor is in use). Spatial usage is instances used per dimension; more than
 * the fanout is invalid.
 */
import { mul, type Value } from "../algebra/value.ts"
import type { EinsumAnalysisResult } from "../analysis/analyze-einsum.ts"
import type { Buffet } from "../analysis/reuse.ts"
import { InvalidMappingError } from "../errors.ts"
import type { MemoryUsageEntry, SpatialUsageEntry } from "../result.ts"

const TOLERANCE = 1e-9

/**
 * A memory fits what it must hold up to rounding: at most its size times this (bits against
 * bits, or a fraction of the size against this). The one capacity rule's slack, shared by the
 * mapper's checks (its tile enumeration, scoring, validity and join), so that they keep and
 * refuse exactly what the model does.
 */
export const CAPACITY_FITS = 1 + TOLERANCE

const occupancyOf = <V extends Value>(a: EinsumAnalysisResult<V>, b: Buffet<V>): V =>
  b.holder?.persistent ? mul(b.occupancy, a.pmapping.context.einsum.nInstances) : b.occupancy

export const memoryUsage = (a: EinsumAnalysisResult): Array<MemoryUsageEntry> =>
  a.buffets.filter((b) => !b.holder!.toll).map((b) => {
    const size = a.pmapping.arch.nodes[b.level]!.size ?? Infinity
    const bits = occupancyOf(a, b)
    return { einsum: a.pmapping.einsum, component: b.component, tensor: b.tensor, bits, fraction: Number.isFinite(size) ? bits / size : 0 }
  })

/** One reservation of a pmapping: where it sits (loops above it) and what it holds. */
export interface ReservationEntry<V extends Value = number> {
  readonly component: string
  /** Arch level of the memory (index in the flattened arch). */
  readonly level: number
  readonly tensor: string
  readonly bits: V
  /** Loops of the pmapping above the reservation (after lowering). */
  readonly loopsAbove: number
  readonly persistent: boolean
  readonly backing: boolean
}

/** Every non-toll reservation of a pmapping, for the mapper's per-depth memory accounting. */
export const reservationsOf = <V extends Value>(a: EinsumAnalysisResult<V>): Array<ReservationEntry<V>> =>
  a.buffets.filter((b) => !b.holder!.toll).map((b) => ({
    component: b.component,
    level: b.level,
    tensor: b.tensor,
    bits: occupancyOf(a, b),
    loopsAbove: a.loopsAboveReservation.get(b.holder!)!,
    persistent: b.holder!.persistent === true,
    backing: b.holder!.backing === true
  }))

/** Loops both Einsums' paths share (their common prefix of mapping nodes). */
const sharedLoops = (x: EinsumAnalysisResult, y: EinsumAnalysisResult): number => {
  const a = x.pmapping.path.nodes
  const b = y.pmapping.path.nodes
  let loops = 0
  for (let i = 0; i < Math.min(a.length, b.length) && a[i]!.node === b[i]!.node; i++) {
    const tag = a[i]!.node.$tag
    if (tag === "Temporal" || tag === "Spatial") loops++
  }
  return loops
}

/** Per tensor, the positions of its first and last user among `all`. */
const userSpans = (all: ReadonlyArray<EinsumAnalysisResult>): Map<string, { first: number; last: number }> => {
  const spans = new Map<string, { first: number; last: number }>()
  all.forEach((e, i) => {
    for (const x of e.pmapping.context.einsum.accesses) {
      const span = spans.get(x.tensor)
      if (span === undefined) spans.set(x.tensor, { first: i, last: i })
      else span.last = i
    }
  })
  return spans
}

/**
 * Reservations of other Einsums that stay live while `a` runs (FFM's reservation tree). One
 * above a loop the two share is held for every iteration, so for both. One at their split
 * itself (below every shared loop) is taken when its tensor's first user starts and given back
 * after its last user ends: so it counts only while `a` runs between them.
 */
const liveForeignReservations = (a: EinsumAnalysisResult, all: ReadonlyArray<EinsumAnalysisResult>) => {
  const own = new Set(a.pmapping.context.einsum.accesses.map((x) => x.tensor))
  const position = all.indexOf(a)
  const spans = userSpans(all)
  const inUse = (tensor: string): boolean => {
    const span = spans.get(tensor)
    return span !== undefined && span.first <= position && position <= span.last
  }
  const seen = new Set<string>()
  const out: Array<{ component: string; tensor: string; bits: number; einsum: string }> = []
  for (const other of all) {
    if (other === a) continue
    const shared = sharedLoops(a, other)
    for (const b of other.buffets) {
      const holder = b.holder!
      const loopsAbove = other.loopsAboveReservation.get(holder)!
      if (holder.toll || own.has(b.tensor) || loopsAbove > shared) continue
      if (loopsAbove === shared && !inUse(b.tensor)) continue
      if (!a.pmapping.path.nodes.some((p) => p.node === holder.ref.node)) continue
      const key = `${b.component}/${b.tensor}`
      if (seen.has(key)) continue
      seen.add(key)
      out.push({ component: b.component, tensor: b.tensor, bits: occupancyOf(other, b), einsum: other.pmapping.einsum })
    }
  }
  return out
}

/** Throws InvalidMappingError when a memory's reservations exceed its size. */
export const checkCapacity = (a: EinsumAnalysisResult, all: ReadonlyArray<EinsumAnalysisResult>): void => {
  const held = new Map<string, Array<{ tensor: string; bits: number; note: string }>>()
  const add = (component: string, tensor: string, bits: number, note: string) => {
    const list = held.get(component) ?? []
    list.push({ tensor, bits, note })
    held.set(component, list)
  }
  for (const u of memoryUsage(a)) add(u.component, u.tensor, u.bits, "")
  for (const f of liveForeignReservations(a, all)) add(f.component, f.tensor, f.bits, ` (kept for Einsum ${f.einsum})`)
  for (const [component, list] of held) {
    const level = a.pmapping.levelOf.get(component)
    if (level === undefined) continue
    const size = a.pmapping.arch.nodes[level]!.size ?? Infinity
    const total = list.reduce((s, x) => s + x.bits, 0)
    if (total > size * CAPACITY_FITS) {
      const parts = list.map((x) => `${x.tensor} ${x.bits}${x.note}`).join(", ")
      throw new InvalidMappingError({
        reason: `capacity exceeded: ${component} must hold ${total} bits at once (${parts}) but its size is ${size} bits`,
        einsum: a.pmapping.einsum,
        path: [...a.pmapping.compute.ref.path]
      })
    }
  }
}

/** Instances used per spatial dimension of the flattened arch; throws when a fanout is exceeded. */
export const spatialUsage = (a: EinsumAnalysisResult): Array<SpatialUsageEntry> => {
  const out: Array<SpatialUsageEntry> = []
  for (const c of a.pmapping.arch.nodes) {
    for (const dim of c.spatial) {
      const used = a.fanout.get(c.name)?.get(dim.name) ?? 1
      if (used > dim.fanout * (1 + TOLERANCE)) {
        const loop = a.pmapping.loops.find((l) => l.component === c.name && l.dimension === dim.name)
        throw new InvalidMappingError({
          reason: `fanout exceeded: the spatial loops on ${c.name}.${dim.name} use ${used} instances but the fanout is ${dim.fanout}`,
          einsum: a.pmapping.einsum,
          ...(loop === undefined ? {} : { path: [...loop.ref.path] })
        })
      }
      out.push({ einsum: a.pmapping.einsum, component: c.name, dimension: dim.name, used, fanout: dim.fanout, usage: (used / dim.fanout) * dim.usageScale })
    }
  }
  return out
}
