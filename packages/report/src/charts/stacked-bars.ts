/**
 * Bars per Einsum stacked by a category (component, action, tensor): the shape of the energy
 * breakdowns. One datum per segment, so each segment is one mark; zero segments are left out.
 */
import { type Chart, chartConfig, SCHEMA, SI_FORMAT } from "../chart/chart.ts"

export interface Segment {
  readonly einsum: string
  readonly category: string
  readonly value: number
}

export interface StackedBarsOptions {
  readonly id: string
  readonly title: string
  readonly caption: string
  readonly categoryTitle: string
  readonly valueTitle: string
  /** Einsums in workload order (the x axis keeps it). */
  readonly einsums: ReadonlyArray<string>
  readonly segments: ReadonlyArray<Segment>
}

/** Sum values per (einsum, category), first-seen order, dropping zeros. */
export const sumSegments = <A>(entries: ReadonlyArray<A>, einsum: (a: A) => string, category: (a: A) => string, value: (a: A) => number): Array<Segment> => {
  const sums = new Map<string, Segment>()
  for (const e of entries) {
    const key = `${einsum(e)}\u0000${category(e)}`
    const prior = sums.get(key)
    sums.set(key, { einsum: einsum(e), category: category(e), value: (prior?.value ?? 0) + value(e) })
  }
  return [...sums.values()].filter((s) => s.value !== 0)
}

export const stackedBarsChart = (o: StackedBarsOptions): Chart => ({
  id: o.id,
  title: o.title,
  caption: o.caption,
  expectedMarks: o.segments.length,
  spec: {
    $schema: SCHEMA,
    title: o.title,
    width: Math.max(160, 48 * o.einsums.length),
    height: 260,
    config: chartConfig,
    data: { values: o.segments.map((s) => ({ ...s })) },
    mark: { type: "bar", tooltip: true },
    encoding: {
      x: { field: "einsum", type: "nominal", title: "Einsum", sort: [...o.einsums], axis: { labelAngle: 0 } },
      y: { field: "value", type: "quantitative", title: o.valueTitle, stack: "zero", axis: { format: SI_FORMAT } },
      color: { field: "category", type: "nominal", title: o.categoryTitle },
      order: { field: "category" }
    }
  }
})
