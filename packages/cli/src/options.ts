/**
 * Flags shared by every command that reads a spec.
 */
import { Argument, Flag } from "effect/cli"
import * as Option from "effect/Option"

export const specFiles = Argument.String("files").pipe(
  Argument.withDescription("Spec files (YAML, Jinja allowed), e.g. an arch and a workload; the first file wins per top-level key"),
  Argument.variadic({ min: 1 })
)

export const defines = Flag.String("define").pipe(
  Flag.withAlias("D"),
  Flag.withDescription("Jinja variable KEY=VALUE (VALUE parsed as YAML); repeatable"),
  Flag.atLeast(0)
)

export const sets = Flag.String("set").pipe(
  Flag.withDescription(
    "Override one value of the merged spec: PATH=VALUE, PATH dotted, list items by index or name (VALUE parsed as YAML); repeatable"
  ),
  Flag.atLeast(0)
)

export const jsonOut = Flag.String("json").pipe(
  Flag.withDescription("Also write the result as JSON to this file"),
  Flag.optional
)

export const limits = Flag.String("limit").pipe(
  Flag.withDescription(
    "Raise (or lower) a loading limit: NAME=VALUE with NAME one of file_bytes, yaml_values, nesting_depth, template_output, template_iterations, template_seconds; repeatable"
  ),
  Flag.atLeast(0)
)

/** `--svg FILE`, shared by `run` and `evaluate`: the mapping drawn as a LoopTree. */
export const svgOut = Flag.String("svg").pipe(
  Flag.withDescription("Also draw the mapping as a LoopTree (SVG, top-down, one box per node) to this file"),
  Flag.optional
)

/** `--html FILE`, shared by `run`, `evaluate` and `report`. */
export const htmlOut = Flag.String("html").pipe(
  Flag.withDescription("Also write one self-contained HTML report (totals, tables, every chart, the workload graph, the mapping) to this file"),
  Flag.optional
)

/** `--plots DIR`, shared by `run`, `evaluate` and `report`. */
export const plotsOut = Flag.String("plots").pipe(
  Flag.withDescription("Also write each chart (and the workload graph) as an SVG file into this directory"),
  Flag.optional
)

/** `--cache DIR`, for `run` and `sweep`. */
export const cacheFlag = Flag.String("cache").pipe(
  Flag.withDescription("Keep per-Einsum pmapping tables in this folder and reuse them (keyed by a hash of everything the search reads, checksummed)"),
  Flag.optional
)

/** `--no-cache`, for `run` and `sweep`. */
export const noCacheFlag = Flag.Boolean("no-cache").pipe(Flag.withDescription("Do not use a pmapping cache"), Flag.withDefault(false))

/** `--overlap MODE`, shared by `run` and `evaluate`: how Einsums overlap in time (docs/overlapped-latency.md). */
export const overlapFlag = Flag.Literals("overlap", ["none", "writeback", "pipeline"]).pipe(
  Flag.withDescription(
    "How Einsums overlap in time: none (in sequence, AccelForge's), writeback (writes no later Einsum waits for leave the critical path) or pipeline (also a software pipeline under shared fused loops); default: the spec's mapper.overlap"
  ),
  Flag.optional
)

/** The `--set` overrides with `--overlap`'s, which wins over the spec's `mapper.overlap`. */
export const withOverlap = (set: ReadonlyArray<string>, overlap: Option.Option<string>): Array<string> =>
  Option.isSome(overlap) ? [...set, `mapper.overlap=${overlap.value}`] : [...set]
