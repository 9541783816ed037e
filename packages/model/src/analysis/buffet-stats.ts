/**
 * The counters of one buffet (a tensor at one level, model §2.1), kept as an array indexed by
 * field so a loop repeat is a short run over precomputed field lists. Counts are in values on
 * the parent side and in actions on the own side; numbers when evaluating a mapping,
 * polynomials when deriving a template's cost terms (algebra/value.ts).
 */
import { mul, type Value } from "../algebra/value.ts"

/** Field indices. "Parent" fields are what the parent sees; the rest are this level's actions. */
export const F = {
  readsToParent: 0,
  writesToParent: 1,
  maxReadsToParent: 2,
  maxWritesToParent: 3,
  skippedReadsToParent: 4,
  minSkippedReadsToParent: 5,
  readActions: 6,
  writeActions: 7,
  maxReadActions: 8,
  maxWriteActions: 9,
  skippedReadActions: 10,
  skippedWriteActions: 11,
  minSkippedReadActions: 12,
  minSkippedWriteActions: 13
} as const

export const FIELD_COUNT = 14

export const PARENT_FIELDS = [0, 1, 2, 3, 4, 5]
/** Skipped-first counts multiply through temporal loops only when the loop is Relevant. */
export const TEMPORAL_ALWAYS = [0, 1, 2, 3, 6, 7, 8, 9]
export const SKIPPED_FIELDS = [4, 5, 10, 11, 12, 13]
/** Per-unit fields never multiply through spatial loops (each unit does its own share). */
export const SPATIAL_UNICAST = [0, 1, 2, 3, 4, 5, 6, 7, 10, 11]
/** With reuse (multicast / spatial reduction) the parent-side fields are not multiplied either. */
export const SPATIAL_REUSED = SPATIAL_UNICAST.filter((f) => !PARENT_FIELDS.includes(f))

export type Stats<V extends Value> = Array<V>

/** FIELD_COUNT zeros, as a literal: V8 copies it from its boilerplate, cheaper than filling a new array (one buffet per holder and tensor, per analysis; buffet-stats.test.ts ties its length to F). */
export const newStats = <V extends Value>(): Stats<V> => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] as Array<V>

const scaleFields = <V extends Value>(stats: Stats<V>, fields: ReadonlyArray<number>, n: V): void => {
  // Numbers multiplied here, as `mul` would (the numeric model's most frequent operation: no call per field).
  const numeric = typeof n === "number"
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!
    const x = stats[f]!
    stats[f] = numeric && typeof x === "number" ? ((x * n) as V) : mul(x, n)
  }
}

/** A temporal loop of `n` iterations above the buffet. */
export const repeatTemporal = <V extends Value>(stats: Stats<V>, n: V, relevant: boolean): void => {
  scaleFields(stats, TEMPORAL_ALWAYS, n)
  if (relevant) scaleFields(stats, SKIPPED_FIELDS, n)
}

/** A spatial loop of `n` instances above the buffet. */
export const repeatSpatial = <V extends Value>(stats: Stats<V>, n: V, reuse: boolean): void => {
  scaleFields(stats, reuse ? SPATIAL_REUSED : SPATIAL_UNICAST, n)
}
