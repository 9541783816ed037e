/**
 * `mapper.search`: which search strategy runs and its knobs (ours; AccelForge has only FFM).
 * The Timeloop knobs keep Timeloop's meaning (seed 004, with `_` for its `-`); `sa` and `ga`
 * take the simulated-annealing knobs of seed 001. Which strategy reads which knob is the
 * mapper's registry's business: a knob set away from its default that no selected strategy
 * reads is rejected there, so none is accepted and ignored.
 */
import { Schema } from "effect"
import { Limit } from "./limit.ts"
import { Text, withDefault } from "./primitives.ts"

const Fraction = Schema.Number.check(Schema.isBetween({ minimum: 0, maximum: 1 }))
const Positive = Schema.Number.check(Schema.isGreaterThan(0))

export const SearchConfig = Schema.Struct({
  /** The strategy `run` uses (`--search NAME` overrides it). */
  algorithm: withDefault(Text, "ffm"),
  /** Makes every randomized strategy reproducible. */
  seed: withDefault(Schema.Natural, 0),
  /** Timeloop's search threads: each follows the heuristic on its own slice of the mapspace. */
  num_threads: withDefault(Schema.Natural.check(Schema.isGreaterThanOrEqualTo(1)), 1),
  /** Consecutive invalid mappings after which a thread gives up (0: never). */
  timeout: withDefault(Schema.Natural, 1000),
  /** Consecutive valid but not better mappings after which a thread declares victory (0: never). */
  victory_condition: withDefault(Schema.Natural, 500),
  /** Valid mappings after which a thread stops (0: no limit). */
  search_size: withDefault(Schema.Natural, 0),
  max_permutations_per_if_visit: withDefault(Schema.Natural.check(Schema.isGreaterThanOrEqualTo(1)), 16),
  /** Mappings between a thread's exchanges of its best with the others' (0: only at the end). */
  sync_interval: withDefault(Schema.Natural, 0),
  filter_revisits: withDefault(Schema.Boolean, false),
  /** Compared lexicographically: energy, delay (or latency), edp, last-level-accesses. Empty: from `mapper.metrics`. */
  optimization_metrics: withDefault(Schema.Array(Text), []),
  log_stats: withDefault(Schema.Boolean, false),
  log_suboptimal: withDefault(Schema.Boolean, false),
  /** Check every validity rule of an invalid mapping and keep an example per rule. */
  diagnostics: withDefault(Schema.Boolean, false),
  /** Stop once the best score is at most this (sa, ga). */
  score_target: withDefault(Schema.NullOr(Schema.Number), null),
  /** Evaluations (as each strategy charges them) after which the search stops. */
  max_evaluations: withDefault(Limit, Infinity),
  /** Seconds after which the search stops and returns its best so far. */
  time_limit: withDefault(Limit, Infinity),
  /** sa: starting temperature, as a fraction of the current score a worse move may cost with probability 1/e. */
  initial_temperature: withDefault(Positive, 0.05),
  /** sa: the temperature is multiplied by this after every proposal. */
  cooling_rate: withDefault(Fraction, 0.999),
  /** ga: individuals per generation. */
  population_size: withDefault(Schema.Natural.check(Schema.isGreaterThanOrEqualTo(2)), 32),
  /** ga: chance that each Einsum of a child gets a fresh compatibility and pmapping. */
  mutation_rate: withDefault(Fraction, 0.1),
  /** ga: individuals compared to pick each parent. */
  tournament_size: withDefault(Schema.Natural.check(Schema.isGreaterThanOrEqualTo(1)), 2)
})
export type SearchConfig = typeof SearchConfig.Type
