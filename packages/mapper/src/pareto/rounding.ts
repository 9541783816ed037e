/**
 * Column rounding applied before Pareto comparison (AccelForge `pareto.py`, doc §4.3).
 *
 * Every function here is monotone non-decreasing. That is what makes pruning with a
 * tolerance safe: if `x ≤ y` then `r(x) ≤ r(y)`, so a row that dominated another before
 * rounding still (weakly) dominates it after, and every dropped row keeps a representative.
 * All functions return a new array and never modify their input.
 */

/**
 * Rounds to the nearest integer, ties to even, like numpy's `np.round`. Matching numpy matters
 * for small integer data, where exact halves (e.g. `1 / 2`) are common.
 */
export const roundHalfToEven = (value: number): number => {
  const nearest = Math.round(value)
  return nearest - value === 0.5 && nearest % 2 !== 0 ? nearest - 1 : nearest
}

const assertTolerance = (name: string, tolerance: number): void => {
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${tolerance}`)
  }
}

const roundValueToGrid = (value: number, absoluteTolerance: number): number =>
  roundHalfToEven(value / absoluteTolerance) * absoluteTolerance

const roundValueToLogGrid = (value: number, base: number, logBase: number): number =>
  Math.pow(base, roundHalfToEven(Math.log(value) / logBase))

/** `round(x/a)·a` for every value; a copy when `a = 0`. */
export const roundToTolerance = (column: Float64Array, absoluteTolerance: number): Float64Array => {
  assertTolerance("absoluteTolerance", absoluteTolerance)
  const rounded = Float64Array.from(column)
  if (absoluteTolerance === 0) return rounded
  for (let row = 0; row < rounded.length; row++) {
    rounded[row] = roundValueToGrid(rounded[row]!, absoluteTolerance)
  }
  return rounded
}

const hasNonPositiveValue = (column: Float64Array): boolean => {
  for (let row = 0; row < column.length; row++) if (column[row]! <= 0) return true
  return false
}

/**
 * `(1+t)^round(log x / log(1+t))` for every value. A copy when `t = 0`, and also when any value
 * is `≤ 0`: a log grid cannot represent those, and rounding only part of a column would break
 * monotonicity.
 */
export const logscaleToTolerance = (column: Float64Array, relativeTolerance: number): Float64Array => {
  assertTolerance("relativeTolerance", relativeTolerance)
  const rounded = Float64Array.from(column)
  if (relativeTolerance === 0 || hasNonPositiveValue(column)) return rounded
  const base = 1 + relativeTolerance
  const logBase = Math.log(base)
  for (let row = 0; row < rounded.length; row++) {
    rounded[row] = roundValueToLogGrid(rounded[row]!, base, logBase)
  }
  return rounded
}

/**
 * Rounds with whichever tolerance is nonzero. With both, values where `t·x > a` are log-rounded
 * and the others are rounded absolutely, so small values get the absolute grid and large values
 * the relative one.
 *
 * At the switch point `x₀ = a/t` the two grids disagree: just below `x₀` the absolute grid can
 * round up (by up to `a/2`) while just above it the log grid can round down (by up to a factor
 * `√(1+t)`), which would make the function step down (e.g. `t=0.1, a=1`: 9.99 → 10 but
 * 10.01 → 9.85). Both sides are therefore clamped to the absolute rounding of `x₀`, which keeps
 * the function monotone and changes nothing away from the switch point.
 */
export const multiRound = (
  column: Float64Array,
  relativeTolerance: number,
  absoluteTolerance: number
): Float64Array => {
  if (relativeTolerance === 0) return roundToTolerance(column, absoluteTolerance)
  if (absoluteTolerance === 0) return logscaleToTolerance(column, relativeTolerance)
  assertTolerance("relativeTolerance", relativeTolerance)
  assertTolerance("absoluteTolerance", absoluteTolerance)
  const base = 1 + relativeTolerance
  const logBase = Math.log(base)
  const roundedSwitchPoint = roundValueToGrid(absoluteTolerance / relativeTolerance, absoluteTolerance)
  const rounded = new Float64Array(column.length)
  for (let row = 0; row < column.length; row++) {
    const value = column[row]!
    rounded[row] = relativeTolerance * value > absoluteTolerance
      ? Math.max(roundValueToLogGrid(value, base, logBase), roundedSwitchPoint)
      : Math.min(roundValueToGrid(value, absoluteTolerance), roundedSwitchPoint)
  }
  return rounded
}
