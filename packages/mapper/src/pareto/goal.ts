/**
 * What a column means to the pruner.
 *
 * - `"min"` / `"max"`: an objective; smaller (resp. larger) is better.
 * - `"diff"`: a partition key; rows with different values never prune each other
 *   (AccelForge uses this for fused-loop symbols, whose rows join with different partners).
 */
export type Goal = "min" | "max" | "diff"

/**
 * Per-column tolerances, indexed like the columns. Missing entries mean 0 (exact).
 * Tolerances on `"diff"` columns are ignored: partition keys are always compared exactly,
 * otherwise rows that join with different partners could prune each other.
 */
export interface ParetoOptions {
  /** Log-grid rounding `(1+t)^round(log x / log(1+t))` before comparison. */
  readonly relativeTolerance?: ReadonlyArray<number>
  /** Absolute rounding `round(x/a)·a` before comparison. */
  readonly absoluteTolerance?: ReadonlyArray<number>
}
