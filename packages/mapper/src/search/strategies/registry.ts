/**
 * Strategies by name (`run --search NAME`, `mapper.search.algorithm`). FFM is one more entry.
 * Each family's driver reads some knobs for every strategy of the family; a knob set away from
 * its default that none of the selected strategies reads is an error, never silently ignored.
 */
import { type SearchConfig, SearchConfig as SearchConfigSchema } from "@effect-accelforge/core"
import { Schema } from "effect"
import { NoValidMappingError } from "../../errors.ts"
import { annealing } from "./sa.ts"
import { exhaustive } from "./exhaustive.ts"
import { ffm } from "./ffm.ts"
import { genetic } from "./ga.ts"
import { hybrid } from "./hybrid.ts"
import { linearPruned } from "./linear-pruned.ts"
import { random } from "./random.ts"
import { randomPruned } from "./random-pruned.ts"
import type { Knob, StrategyEntry } from "./strategy.ts"

export const STRATEGIES: ReadonlyArray<StrategyEntry> = [ffm, exhaustive, linearPruned, random, randomPruned, hybrid, annealing, genetic]

/** Knobs the Timeloop-style driver reads for each of its strategies. */
export const TIMELOOP_KNOBS: ReadonlyArray<Knob> = [
  "num_threads", "timeout", "victory_condition", "search_size", "sync_interval", "optimization_metrics", "log_stats", "log_suboptimal",
  "diagnostics", "max_evaluations", "time_limit"
]

/** Knobs the whole-workload driver reads for each of its strategies. */
export const WORKLOAD_KNOBS: ReadonlyArray<Knob> = ["score_target", "max_evaluations", "time_limit", "seed"]

export const knobsOf = (entry: StrategyEntry): ReadonlyArray<Knob> =>
  entry.kind === "einsum" ? [...TIMELOOP_KNOBS, ...entry.knobs] : entry.kind === "workload" ? [...WORKLOAD_KNOBS, ...entry.knobs] : entry.knobs

export const strategyNamed = (name: string): StrategyEntry => {
  const entry = STRATEGIES.find((s) => s.name === name)
  if (entry === undefined) {
    throw new NoValidMappingError({ reason: `unknown search strategy '${name}': use ${STRATEGIES.map((s) => s.name).join(", ")}` })
  }
  return entry
}

const DEFAULTS = Schema.decodeUnknownSync(SearchConfigSchema)({})

/** Fails when a knob is set away from its default and none of `entries` reads it. */
export const checkKnobs = (search: SearchConfig, entries: ReadonlyArray<StrategyEntry>): void => {
  const read = new Set<string>(["algorithm", ...entries.flatMap(knobsOf)])
  for (const key of Object.keys(DEFAULTS) as Array<Knob>) {
    if (read.has(key) || JSON.stringify(search[key]) === JSON.stringify(DEFAULTS[key])) continue
    const users = STRATEGIES.filter((s) => knobsOf(s).includes(key)).map((s) => s.name)
    throw new NoValidMappingError({
      reason: `mapper.search.${key} is set but ${entries.map((e) => e.name).join(", ")} ${entries.length === 1 ? "does" : "do"} not use it (it applies to ${users.join(", ")})`
    })
  }
}
