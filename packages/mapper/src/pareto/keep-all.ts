/** A pruner that keeps every row (an ablation: no Pareto pruning at all). */
export const keepAllRows = (columns: ReadonlyArray<Float64Array>): Int32Array =>
  Int32Array.from({ length: columns[0]?.length ?? 0 }, (_, i) => i)
