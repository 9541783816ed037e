/**
 * AccelForge's `Metrics` bit flags. YAML gives the integer (AccelForge's rule); as an
 * extension we also accept a flag name or a list of names (`[energy, latency]`).
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"
import * as SchemaIssue from "effect/SchemaIssue"

export const METRIC_FLAGS = {
  LATENCY: 1,
  ENERGY: 2,
  DYNAMIC_ENERGY: 4,
  LEAK_ENERGY: 8,
  RESOURCE_USAGE: 16,
  ACTIONS: 32,
  DETAILED_MEMORY_USAGE: 64,
  ENERGY_DELAY_PRODUCT: 128
} as const
export type MetricName = keyof typeof METRIC_FLAGS

export const ALL_METRICS = Object.values(METRIC_FLAGS).reduce((a, b) => a | b, 0)

const ALIASES: Record<string, MetricName> = { EDP: "ENERGY_DELAY_PRODUCT" }

const flagOf = (name: string): number | undefined => {
  const upper = name.trim().toUpperCase()
  const canonical = ALIASES[upper] ?? upper
  return (METRIC_FLAGS as Record<string, number>)[canonical]
}

/** Parse a metric written as a number, a name, `A|B`, or a list of names. */
export const parseMetrics = (u: unknown): number | undefined => {
  if (typeof u === "number") return Number.isInteger(u) && u >= 0 && u <= ALL_METRICS ? u : undefined
  if (typeof u === "string") {
    let flags = 0
    for (const part of u.split("|")) {
      const flag = flagOf(part)
      if (flag === undefined) return undefined
      flags |= flag
    }
    return flags
  }
  if (Array.isArray(u)) {
    let flags = 0
    for (const item of u) {
      const f = parseMetrics(item)
      if (f === undefined) return undefined
      flags |= f
    }
    return flags
  }
  return undefined
}

export const metricNames = (flags: number): ReadonlyArray<MetricName> =>
  (Object.keys(METRIC_FLAGS) as Array<MetricName>).filter((n) => (flags & METRIC_FLAGS[n]) !== 0)

/** Decodes to the integer flag set. */
export const Metrics = Schema.Unknown.pipe(
  Schema.decodeTo(Schema.Number, {
    decode: SchemaGetter.transformEffect((u: unknown) => {
      const flags = parseMetrics(u)
      return flags === undefined
        ? Effect.fail(new SchemaIssue.InvalidValue({
          message: `expected metric flags: an integer 0..${ALL_METRICS}, or names among ${
            Object.keys(METRIC_FLAGS).join(", ")
          } (joined with | or as a list), got ${JSON.stringify(u)}`
        }, u))
        : Effect.succeed(flags)
    }),
    encode: SchemaGetter.transform((n: number) => n as unknown)
  })
)
