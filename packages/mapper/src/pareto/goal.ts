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
  /**
   * The fused loops a joined group's rows leave open to the Einsums joined after them (the
   * join passes them; the Pareto front ignores them): a pruner that ranks rows by a bound on
   * their completions needs them in the modes that overlap Einsums (join/beam-join.ts).
   */
  readonly openLoops?: ReadonlyArray<{ readonly iterations: number; readonly spatial?: boolean }>
}
