/**
 * A sweep file: the spec files, and axes over Jinja variables (`define`), spec overrides
 * (`set`, the paths of `--set`) and metrics. The points are the product of the axes, or an
 * explicit `points` list. A value that is not a list is a constant of every point.
 *
 * ```yaml
 * sweep:
 *   name: tpu-buffers                         # optional; default: the file's name
 *   files: [arch.yaml, workload.yaml]         # relative to the sweep file
 *   define: {BUFFER_KB: [32, 64, 128], TOKENS: [128, 256], LAYERS: 2}
 *   set: {mapper.max_fused_loops: [1, 2]}
 *   metrics: [energy, edp]                    # an axis named "metric"
 * ```
 */
import { readFileSync } from "node:fs"
import { basename, dirname, extname, resolve } from "node:path"
import { Effect, Schema, SchemaIssue } from "effect"
import { parseMetrics } from "@effect-accelforge/core"
import { parse as parseYaml } from "yaml"
import { SweepFileError } from "./errors.ts"

/** One mapping job of the sweep. */
export interface SweepPoint {
  /** Stable identity of the point: its axis values as JSON, axes sorted by name. */
  readonly key: string
  /** Axis values by axis name (define variables, set paths, `metric`), in declaration order. */
  readonly axes: Readonly<Record<string, unknown>>
  readonly files: ReadonlyArray<string>
  readonly variables: Readonly<Record<string, unknown>>
  readonly overrides: ReadonlyArray<string>
}

export interface Sweep {
  readonly name: string
  readonly file: string
  readonly axisNames: ReadonlyArray<string>
  readonly points: ReadonlyArray<SweepPoint>
}

const Values = Schema.Record(Schema.String, Schema.Unknown)

const ExplicitPoint = Schema.Struct({
  define: Schema.optionalKey(Values),
  set: Schema.optionalKey(Values),
  metric: Schema.optionalKey(Schema.String)
})

const SweepSection = Schema.Struct({
  name: Schema.optionalKey(Schema.String),
  files: Schema.NonEmptyArray(Schema.String),
  define: Schema.optionalKey(Values),
  set: Schema.optionalKey(Values),
  metrics: Schema.optionalKey(Schema.Union([Schema.String, Schema.NonEmptyArray(Schema.String)])),
  points: Schema.optionalKey(Schema.NonEmptyArray(ExplicitPoint))
})

const SweepDocument = Schema.Struct({ sweep: SweepSection })
type SweepSection = typeof SweepSection.Type

/** An axis: a name, how one value enters the spec, and its values. */
interface Axis {
  readonly name: string
  readonly values: ReadonlyArray<unknown>
  /** Given as a list (an axis of the points); otherwise a constant, not shown among a point's axes. */
  readonly swept: boolean
  readonly apply: (value: unknown, into: { variables: Record<string, unknown>; overrides: Array<string> }) => void
}

const METRIC_AXIS = "metric"

const asList = (v: unknown): ReadonlyArray<unknown> => (Array.isArray(v) ? v : [v])

const fail = (file: string, path: string, reason: string) => new SweepFileError({ file, path, reason })

const defineAxis = (name: string, given: unknown): Axis => ({
  name,
  values: asList(given),
  swept: Array.isArray(given),
  apply: (value, into) => void (into.variables[name] = value)
})

// JSON is YAML's flow syntax, so `--set`'s YAML parser reads the value back exactly.
const setAxis = (path: string, given: unknown): Axis => ({
  name: path,
  values: asList(given),
  swept: Array.isArray(given),
  apply: (value, into) => void into.overrides.push(`${path}=${JSON.stringify(value)}`)
})

const metricFlags = (file: string, path: string, name: string): Effect.Effect<number, SweepFileError> => {
  const flags = parseMetrics(name.replaceAll(",", "|"))
  return flags === undefined || flags === 0
    ? Effect.fail(fail(file, path, `unknown metric '${name}': use energy, latency, edp, dynamic_energy, leak_energy or resource_usage, joined by '|' or ','`))
    : Effect.succeed(flags)
}

const metricAxis = (file: string, given: string | ReadonlyArray<string>) => {
  const names = typeof given === "string" ? [given] : given
  return Effect.forEach(names, (n, i) => metricFlags(file, `sweep.metrics.${i}`, n)).pipe(
    Effect.map((flags): Axis => ({
      name: METRIC_AXIS,
      values: names,
      swept: typeof given !== "string",
      apply: (value, into) => void into.overrides.push(`mapper.metrics=${flags[names.indexOf(value as string)]}`)
    }))
  )
}

/** Every axis of the section: lists are swept, other values are constants (one-value axes). */
const axesOf = (file: string, s: SweepSection) =>
  Effect.gen(function*() {
    const axes: Array<Axis> = [
      ...Object.entries(s.define ?? {}).map(([k, v]) => defineAxis(k, v)),
      ...Object.entries(s.set ?? {}).map(([k, v]) => setAxis(k, v))
    ]
    if (s.metrics !== undefined) axes.push(yield* metricAxis(file, s.metrics))
    for (const a of axes) {
      if (a.values.length === 0) return yield* Effect.fail(fail(file, `sweep.${a.name}`, "an axis needs at least one value"))
    }
    return axes
  })

const pointKey = (axes: Readonly<Record<string, unknown>>): string =>
  JSON.stringify(Object.fromEntries(Object.keys(axes).sort().map((k) => [k, axes[k]])))

const makePoint = (files: ReadonlyArray<string>, chosen: ReadonlyArray<readonly [Axis, unknown]>): SweepPoint => {
  const into = { variables: {} as Record<string, unknown>, overrides: [] as Array<string> }
  const axes: Record<string, unknown> = {}
  for (const [axis, value] of chosen) {
    axis.apply(value, into)
    if (axis.swept) axes[axis.name] = value
  }
  return { key: pointKey(axes), axes, files, variables: into.variables, overrides: into.overrides }
}

/** The product of the axes, the last axis varying fastest. */
const productPoints = (files: ReadonlyArray<string>, axes: ReadonlyArray<Axis>): Array<SweepPoint> => {
  let combos: Array<Array<readonly [Axis, unknown]>> = [[]]
  for (const axis of axes) combos = combos.flatMap((c) => axis.values.map((v) => [...c, [axis, v] as const]))
  return combos.map((c) => makePoint(files, c))
}

/** Points given one by one; the section's constants apply to each. */
const explicitPoints = (file: string, files: ReadonlyArray<string>, constants: ReadonlyArray<Axis>, s: SweepSection) =>
  Effect.forEach(s.points!, (p, i) =>
    Effect.gen(function*() {
      const own: Array<Axis> = [
        ...Object.entries(p.define ?? {}).map(([k, v]) => ({ ...defineAxis(k, v), values: [v], swept: true })),
        ...Object.entries(p.set ?? {}).map(([k, v]) => ({ ...setAxis(k, v), values: [v], swept: true }))
      ]
      if (p.metric !== undefined) {
        const flags = yield* metricFlags(file, `sweep.points.${i}.metric`, p.metric)
        own.push({ name: METRIC_AXIS, values: [p.metric], swept: true, apply: (_, into) => void into.overrides.push(`mapper.metrics=${flags}`) })
      }
      const chosen = [...constants, ...own].map((a) => [a, a.values[0]] as const)
      return makePoint(files, chosen)
    }))

const duplicateOf = (points: ReadonlyArray<SweepPoint>): SweepPoint | undefined => {
  const seen = new Set<string>()
  return points.find((p) => (seen.has(p.key) ? true : (seen.add(p.key), false)))
}

/** The sweep described by `section`, read from `file` (spec files resolved against its folder). */
export const sweepOf = (file: string, document: unknown): Effect.Effect<Sweep, SweepFileError> =>
  Effect.gen(function*() {
    const decoded = Schema.decodeUnknownResult(SweepDocument)(document)
    if (decoded._tag === "Failure") {
      // The first problem, at its field (Standard Schema's form of the issue).
      const first = SchemaIssue.makeFormatterStandardSchemaV1()(decoded.failure.issue).issues[0]
      const path = (first?.path ?? []).map((p) => String(typeof p === "object" && p !== null && "key" in p ? p.key : p))
      return yield* Effect.fail(fail(file, path.length === 0 ? "sweep" : path.join("."), `${first?.message ?? "invalid"} (a sweep has files, and define, set, metrics or points)`))
    }
    const s = decoded.success.sweep
    const files = s.files.map((f) => resolve(dirname(file), f))
    const axes = yield* axesOf(file, s)
    const swept = axes.filter((a) => a.swept)
    if (s.points !== undefined && swept.length > 0) {
      return yield* Effect.fail(fail(file, `sweep.${swept[0]!.name}`, "give either axes (lists of values) or an explicit list of points, not both"))
    }
    const points = s.points !== undefined ? yield* explicitPoints(file, files, axes, s) : productPoints(files, axes)
    const duplicate = duplicateOf(points)
    if (duplicate !== undefined) return yield* Effect.fail(fail(file, "sweep.points", `the point ${duplicate.key} is listed twice`))
    const axisNames = [...new Set(points.flatMap((p) => Object.keys(p.axes)))]
    return { name: s.name ?? basename(file, extname(file)), file, axisNames, points }
  })

/** Read and parse a sweep file. */
export const loadSweep = (path: string): Effect.Effect<Sweep, SweepFileError> =>
  Effect.gen(function*() {
    const file = resolve(path)
    const text = yield* Effect.try({
      try: () => readFileSync(file, "utf8"),
      catch: (e) => fail(file, "", `cannot read it: ${e instanceof Error ? e.message : String(e)}`)
    })
    const document = yield* Effect.try({
      try: () => parseYaml(text) as unknown,
      catch: (e) => fail(file, "", `not valid YAML: ${e instanceof Error ? e.message : String(e)}`)
    })
    return yield* sweepOf(file, document)
  })
