/**
 * The `mapper:` (FFM knobs, seed 000), `model:` and `config:` sections (AccelForge §6).
 * None of their fields are evaluated as expressions.
 */
import * as Schema from "effect/Schema"
import { Limit } from "./limit.ts"
import { ALL_METRICS, METRIC_FLAGS, Metrics } from "./metrics.ts"
import { Text, withDefault } from "./primitives.ts"
import { SearchConfig } from "./search-config.ts"

export const MapperConfig = Schema.Struct({
  metrics: withDefault(Metrics, METRIC_FLAGS.ENERGY),
  info_metrics: withDefault(Metrics, ALL_METRICS),
  force_memory_hierarchy_order: withDefault(Schema.Boolean, true),
  out_of_order_hierarchy_explore_removing_spatials_for_more_temporals: withDefault(Schema.Boolean, false),
  max_fused_loops_per_rank_variable: withDefault(Limit, 1),
  max_fused_loops: withDefault(Limit, Infinity),
  max_loops: withDefault(Limit, Infinity),
  max_loops_per_spatial_dimension: withDefault(Limit, Infinity),
  max_loops_minus_ranks: withDefault(Limit, Infinity),
  tiling_coarseness: withDefault(Schema.Number, 1),
  explore_loop_orders: withDefault(Schema.Boolean, true),
  explore_imperfect_spatial_loops: withDefault(Schema.Boolean, false),
  explore_imperfect_temporal_loops: withDefault(Schema.Boolean, false),
  prioritize_reuse_of_unfused_tensors: withDefault(Schema.Boolean, false),
  memory_limit: withDefault(Limit, Infinity),
  memory_limit_per_process: withDefault(Limit, Infinity),
  time_limit: withDefault(Limit, Infinity),
  time_limit_per_pmapping_template: withDefault(Limit, Infinity),
  max_pmapping_templates_per_einsum: withDefault(Limit, Infinity),
  objective_tolerance: withDefault(Schema.Number, 0),
  resource_usage_tolerance: withDefault(Schema.Number, 0),
  // Ablation switches (private in AccelForge; accepted here so research users can set them
  // from YAML or `--set`). Defaults are AccelForge's.
  _skip_invalid: withDefault(Schema.Boolean, true),
  _combine_reservations: withDefault(Schema.Boolean, true),
  _runtime_log_file: withDefault(Schema.NullOr(Text), null),
  _metric_aggregator: withDefault(Schema.Literals(["sum", "prod", "any"]), "any"),
  // Ours, not AccelForge's: search Einsums that differ only in tensor names once (see the
  // mapper's generate/isomorphic-einsums.ts); false searches every Einsum, as AccelForge does.
  _reuse_isomorphic_einsums: withDefault(Schema.Boolean, true),
  // Ours: when one scalar is picked (energy, latency or EDP alone), the join drops partial
  // mappings whose objective cannot reach that of the unfused best-so-far (the mapper's
  // join/join-bound.ts; exact: the same answer). false joins the whole front, for ablations.
  _bound_join: withDefault(Schema.Boolean, true),
  // Ours: how Einsums overlap in time (docs/overlapped-latency.md). `none` is AccelForge's
  // semantics (Einsums in sequence); the search and the evaluation of a mapping both follow it.
  overlap: withDefault(Schema.Literals(["none", "writeback", "pipeline"]), "none"),
  // Ours: how a run with one objective picks among mappings that tie on it. "objectives" breaks
  // exact ties by the other objectives (latency: least energy among the fastest; energy:
  // fastest among the cheapest); "first" keeps the first tied mapping in AccelForge's
  // generation order (its reference results depend on that order, ffm §11 A).
  _tie_break: withDefault(Schema.Literals(["objectives", "first"]), "objectives"),
  // Ours: the search strategy and its knobs (search-config.ts).
  search: withDefault(SearchConfig, {})
})
export type MapperConfig = typeof MapperConfig.Type

export const ModelConfig = Schema.Struct({
  metrics: withDefault(Metrics, ALL_METRICS)
})
export type ModelConfig = typeof ModelConfig.Type

export const Config = Schema.Struct({
  expression_custom_functions: withDefault(Schema.Array(Text), []),
  component_models: withDefault(Schema.Array(Text), []),
  use_installed_component_models: withDefault(Schema.Boolean, true)
})
export type Config = typeof Config.Type
