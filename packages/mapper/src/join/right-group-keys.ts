/**
 * What a join step looks up about each group of the Einsum it joins (B, the right side): its
 * placement key on the tensors earlier Einsums use, the partner key of every prefix of its loop
 * nest (an A group meets the B groups listed under its own), and its smallest objectives (the
 * bound's test of a group pair). They depend only on the group and the earlier Einsums' tensors,
 * and a search joins the same tables up to three times (the unfused join, the beam join, the
 * full join: best-so-far.ts), so they are made once per group and thread and kept beside it (a
 * chain of 128 matmuls built these strings for every right group of every step, three times).
 */
import type { FusedLoop } from "../compatibility/compatibility.ts"
import type { PmappingGroup } from "../generate/pmapping-table.ts"
import { loopNest, placementKey } from "./compatibility-join.ts"
import { lowestRowOf } from "./join-bound.ts"

/** A placement key and the first `length` loops of a nest, as nestsCompatible compares them. */
export const partnerKey = (key: string, nest: ReadonlyArray<FusedLoop>, length: number): string => {
  let out = key
  for (let i = 0; i < length; i++) {
    const loop = nest[i]!
    out += `\n${JSON.stringify([loop.iterations, loop.spatial, loop.dimension])}`
  }
  return out
}

export class RightGroupKeys {
  /** The set of earlier tensors these keys were made for (`tensorsSignature`). */
  readonly earlier: string
  readonly key: string
  /** `partnerKey(key, nest, length)` for every length from 0 to the nest's. */
  readonly partnerKeys: ReadonlyArray<string>
  private readonly group: PmappingGroup
  private lowestColumns: ReadonlyArray<Float64Array> | undefined

  constructor(group: PmappingGroup, earlier: ReadonlySet<string>, signature: string) {
    this.group = group
    this.earlier = signature
    this.key = placementKey(group.compatibility, earlier)
    const nest = loopNest(group.compatibility)
    this.partnerKeys = Array.from({ length: nest.length + 1 }, (_, length) => partnerKey(this.key, nest, length))
  }

  /** Per objective column (`objectives` of them), the group's smallest value, as one-row columns. */
  lowest(objectives: number): ReadonlyArray<Float64Array> {
    if (this.lowestColumns === undefined || this.lowestColumns.length !== objectives) {
      this.lowestColumns = lowestRowOf(this.group.columns, objectives, this.group.rows)
    }
    return this.lowestColumns
  }
}

/** A set of tensor names as one string (sorted: the same set, the same string). */
export const tensorsSignature = (tensors: ReadonlySet<string>): string => [...tensors].sort().join("\n")

const made = new WeakMap<PmappingGroup, RightGroupKeys>()

/** The group's keys for the earlier tensors `earlier` (whose `tensorsSignature` is `signature`), made at most once while they stay the same. */
export const rightGroupKeys = (group: PmappingGroup, earlier: ReadonlySet<string>, signature: string): RightGroupKeys => {
  const known = made.get(group)
  if (known !== undefined && known.earlier === signature) return known
  const keys = new RightGroupKeys(group, earlier, signature)
  made.set(group, keys)
  return keys
}
