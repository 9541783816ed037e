/**
 * A search strategy only proposes ids and hears back how they fared (Timeloop's split, seed
 * 004): `next()` gives the next id to try (undefined: the strategy is done), `report` says
 * whether it was valid and its cost. It never sees a mapping or the model: what it may know of
 * the mapspace is its shape, through a view.
 *
 * Per-Einsum strategies (Timeloop's) see one search thread's slice of an Einsum's mapspace;
 * whole-workload strategies (sa, ga) see the per-Einsum tables as choices of a compatibility
 * group and a pmapping row per Einsum.
 */
import type { SearchConfig } from "@effect-accelforge/core"
import type { MappingId } from "../../mapspace/einsum-mapspace.ts"
import type { WorkloadChoice, WorkloadView } from "../../mapspace/workload-mapspace.ts"
import type { Random } from "../random-source.ts"

/** Timeloop's outcomes: the mapping could not be built (loop counts, fanout, loop bounds, min_usage), failed evaluation (capacity), or was valid. */
export type Status = "success" | "construction-failure" | "eval-failure"

export interface SearchStrategy<Id> {
  readonly next: () => Id | undefined
  /** `cost` is the first optimization metric's (meaningless unless `status` is success). */
  readonly report: (status: Status, cost: number) => void
}

/** What a per-Einsum strategy knows of its thread's slice of the mapspace. */
export interface MapspaceView {
  /** Index factorizations in the slice; ids use ranks 0..factorizations-1 within it. */
  readonly factorizations: bigint
  /** Mappings in the slice (every factorization times its permutations). */
  readonly mappings: bigint
  /** The most permutations any factorization has. */
  readonly maxPermutations: number
  readonly permutations: (factorization: bigint) => number
  /** The permutations that are not superfluous for this factorization (unit loops placed differently), ascending. */
  readonly prunedPermutations: (factorization: bigint) => ReadonlyArray<number>
}

/** `mapper.search` knobs, by name. */
export type Knob = keyof SearchConfig

interface EntryBase {
  readonly name: string
  readonly description: string
  /** The knobs this strategy reads (besides those of its family's driver). */
  readonly knobs: ReadonlyArray<Knob>
}

/** A Timeloop-style strategy: one instance per Einsum and search thread. */
export interface EinsumStrategyEntry extends EntryBase {
  readonly kind: "einsum"
  readonly make: (view: MapspaceView, config: SearchConfig, random: Random) => SearchStrategy<MappingId>
}

/** A whole-workload strategy over the per-Einsum Pareto tables. */
export interface WorkloadStrategyEntry extends EntryBase {
  readonly kind: "workload"
  readonly make: (view: WorkloadView, config: SearchConfig, random: Random) => SearchStrategy<WorkloadChoice>
}

/** FFM itself: no ids, the exact search. */
export interface FfmEntry extends EntryBase {
  readonly kind: "ffm"
}

export type StrategyEntry = EinsumStrategyEntry | WorkloadStrategyEntry | FfmEntry
