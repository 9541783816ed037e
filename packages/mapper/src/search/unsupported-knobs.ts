/**
 * Mapper knobs this search does not implement, rejected when set to anything but their default
 * (never accepted and ignored): one EvaluationError naming the field, where the spec sets it,
 * and why. Every other knob of `mapper:` acts as AccelForge documents it.
 */
import { ALL_METRICS, EvaluationError, type LoadedSpec, type MapperConfig, positionAt } from "@effect-accelforge/core"

interface Unsupported {
  readonly knob: keyof MapperConfig
  readonly isDefault: (config: MapperConfig) => boolean
  readonly why: string
}

const IMPERFECT =
  "the model counts a loop whose tile does not divide its rank as its average, rounding up only the outermost loop's refetches, " +
  "so the searched numbers for such tiles would not be AccelForge's, and the search's cost polynomials assume tiles that divide " +
  "(divisor chains); imperfect factorization is left out"

const UNSUPPORTED: ReadonlyArray<Unsupported> = [
  { knob: "explore_imperfect_spatial_loops", isDefault: (c) => !c.explore_imperfect_spatial_loops, why: IMPERFECT },
  { knob: "explore_imperfect_temporal_loops", isDefault: (c) => !c.explore_imperfect_temporal_loops, why: IMPERFECT },
  {
    knob: "out_of_order_hierarchy_explore_removing_spatials_for_more_temporals",
    isDefault: (c) => !c.out_of_order_hierarchy_explore_removing_spatials_for_more_temporals,
    why: "the mapper does not generate AccelForge's alternative of dropping a spatial loop to make room for a conflicting temporal loop " +
      "(FFM §2.8); it only arises with force_memory_hierarchy_order off"
  },
  {
    knob: "info_metrics",
    isDefault: (c) => c.info_metrics === ALL_METRICS,
    why: "the final mapping is always evaluated in full (energy, latency, actions, memory and spatial usage), so a subset is not supported; " +
      "leave info_metrics unset"
  },
  {
    knob: "_metric_aggregator",
    isDefault: (c) => c._metric_aggregator === "any",
    why: "it only tuned the threshold filter of AccelForge's approximate pre-join (removed upstream); this mapper runs one exact join, " +
      "where a row is dropped only when another is no worse in every column (\"any\")"
  }
]

/**
 * Knobs that shape FFM's enumeration but not the index space a per-Einsum (Timeloop-style)
 * strategy searches: its factorizations are every divisor chain, and it has no per-template step.
 */
const UNSUPPORTED_BY_EINSUM_STRATEGIES: ReadonlyArray<Unsupported> = [
  {
    knob: "tiling_coarseness",
    isDefault: (c) => c.tiling_coarseness === 1,
    why: "the per-Einsum strategies' mapspace indexes every divisor chain (Timeloop's index factorizations); use ffm, sa or ga, whose tables honour it"
  },
  {
    knob: "time_limit_per_pmapping_template",
    isDefault: (c) => !Number.isFinite(c.time_limit_per_pmapping_template),
    why: "a per-Einsum strategy does not search template by template; bound it with mapper.search.time_limit or mapper.time_limit"
  }
]

/** The first knob of `list` set away from its default, as one located EvaluationError. */
const rejectUnsupported = (loaded: LoadedSpec, config: MapperConfig, list: ReadonlyArray<Unsupported>, by: string): void => {
  for (const u of list) {
    if (u.isDefault(config)) continue
    const path = ["mapper", u.knob]
    const position = positionAt(loaded.document.data, path)
    throw new EvaluationError({
      path,
      reason: `${u.knob} = ${JSON.stringify(config[u.knob])} is not supported${by}: ${u.why}`,
      ...(position === undefined ? {} : { file: position.file }),
      ...(position?.line === undefined ? {} : { line: position.line }),
      ...(position?.column === undefined ? {} : { column: position.column })
    })
  }
}

/** Throws an EvaluationError for the first knob set to a value the search does not support. */
export const checkSupportedKnobs = (loaded: LoadedSpec, config: MapperConfig): void => rejectUnsupported(loaded, config, UNSUPPORTED, "")

/** Throws an EvaluationError for the first knob set to a value per-Einsum strategy `name` cannot honour. */
export const unsupportedByEinsumStrategies = (loaded: LoadedSpec, config: MapperConfig, name: string): void =>
  rejectUnsupported(loaded, config, UNSUPPORTED_BY_EINSUM_STRATEGIES, ` by ${name}`)
