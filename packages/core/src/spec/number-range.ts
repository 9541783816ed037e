/**
 * The values a numeric spec field may take, checked when the field is evaluated, so that
 * `check`, `run` and `evaluate` reject the same things: NaN everywhere, infinity except where
 * it means "unbounded", negative amounts, and counts the mapper's 32-bit enumeration cannot
 * hold.
 */

/**
 * The values a numeric field may take. A NaN is never allowed; infinity only where it means
 * "unbounded" (a size, a throughput).
 */
export interface NumberRange {
  /** Smallest allowed value. */
  readonly min: number
  /** Whether `min` itself is allowed (default true). */
  readonly minIncluded?: boolean
  readonly infinity?: boolean
  readonly integer?: boolean
  readonly max?: number
}

/** The enumeration of tiles and fanouts uses 32-bit integers. */
export const MAX_INT32 = 2 ** 31 - 1

export const NON_NEGATIVE: NumberRange = { min: 0 }
export const NON_NEGATIVE_OR_INF: NumberRange = { min: 0, infinity: true }
export const POSITIVE: NumberRange = { min: 0, minIncluded: false }
export const POSITIVE_OR_INF: NumberRange = { min: 0, minIncluded: false, infinity: true }
export const COUNT: NumberRange = { min: 1, integer: true, max: MAX_INT32 }

/** Why `v` is outside `range` (a sentence about "the value"), or undefined when it is inside. */
export const outOfRange = (v: number, range: NumberRange): string | undefined => {
  if (Number.isNaN(v)) return "the value is nan (not a number)"
  if (!Number.isFinite(v)) {
    if (v > 0 && range.infinity === true) return undefined
    return `the value is ${v > 0 ? "inf" : "-inf"}, but it must be finite here`
  }
  const included = range.minIncluded ?? true
  if (included ? v < range.min : v <= range.min) {
    const bound = range.min === 0 ? (included ? "zero or more" : "more than zero") : `at least ${range.min}`
    return `the value is ${v}, but it must be ${bound}`
  }
  if (range.integer === true && !Number.isInteger(v)) return `the value is ${v}, but it must be a whole number`
  if (range.max !== undefined && v > range.max) {
    return `the value is ${v}, more than ${range.max} (2^31 - 1, the largest count the mapper's 32-bit enumeration holds)`
  }
  return undefined
}
