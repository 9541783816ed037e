/**
 * The counters of one buffet (a tensor at one level, model §2.1), kept as a Float64Array so a
 * loop repeat is a short run over precomputed field lists. Counts are in values on the parent
 * side and in actions on the own side.
 */

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

export const newStats = (): Float64Array => new Float64Array(FIELD_COUNT)

const scaleFields = (stats: Float64Array, fields: ReadonlyArray<number>, n: number): void => {
  for (let i = 0; i < fields.length; i++) stats[fields[i]!]! *= n
}

/** A temporal loop of `n` iterations above the buffet. */
export const repeatTemporal = (stats: Float64Array, n: number, relevant: boolean): void => {
  scaleFields(stats, TEMPORAL_ALWAYS, n)
  if (relevant) scaleFields(stats, SKIPPED_FIELDS, n)
}

/** A spatial loop of `n` instances above the buffet. */
export const repeatSpatial = (stats: Float64Array, n: number, reuse: boolean): void => {
  scaleFields(stats, reuse ? SPATIAL_REUSED : SPATIAL_UNICAST, n)
}
