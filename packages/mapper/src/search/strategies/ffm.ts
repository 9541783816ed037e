/**
 * FFM as a registry entry: the exact search (per-Einsum Pareto tables, then the join). It
 * proposes no ids; `run --search ffm` (the default) is the Mapper service as it always was.
 */
import type { FfmEntry } from "./strategy.ts"

export const ffm: FfmEntry = {
  kind: "ffm",
  name: "ffm",
  description: "the Fast and Fusiest Mapper: exact per-Einsum Pareto tables joined into the optimal fused mapping",
  knobs: []
}
