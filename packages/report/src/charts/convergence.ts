/**
 * Convergence of search strategies (`compare`): each strategy's best score over FFM's optimum
 * against the evaluations it was charged, both on log scales. A step line per strategy (its best
 * holds until the next improvement, then to its last evaluation), a point at each improvement;
 * FFM is one point, at its optimum (1) when it finishes.
 */
import { type Chart, chartConfig, SCHEMA } from "../chart/chart.ts"

export interface ConvergencePoint {
  readonly strategy: string
  readonly evaluations: number
  readonly seconds: number
  readonly score: number
}

export interface ConvergenceRun {
  readonly strategy: string
  /** Evaluations the strategy was charged in all (its line runs flat to here). */
  readonly evaluations: number
  readonly history: ReadonlyArray<ConvergencePoint>
}

export const convergenceChart = (runs: ReadonlyArray<ConvergenceRun>, reference: number, metric: string): Chart => {
  const drawn = runs.map((r) => ({ run: r, points: r.history.filter((p) => p.evaluations > 0 && p.score > 0 && Number.isFinite(p.score)) }))
  const points = drawn.flatMap(({ run, points }) => points.map((p) => ({ strategy: run.strategy, evaluations: p.evaluations, ratio: p.score / reference, seconds: p.seconds })))
  const lines = drawn.filter((d) => d.points.length > 0).flatMap(({ run, points }) => {
    const last = points[points.length - 1]!
    const end = Math.max(run.evaluations, last.evaluations)
    return [...points, { ...last, evaluations: end }].map((p) => ({ strategy: run.strategy, evaluations: p.evaluations, ratio: p.score / reference }))
  })
  const series = new Set(lines.map((l) => l.strategy))
  const order = runs.map((r) => r.strategy)
  const x = { field: "evaluations", type: "quantitative" as const, title: "evaluations (log scale)", scale: { type: "log" as const } }
  const y = { field: "ratio", type: "quantitative" as const, title: `best ${metric} / FFM's optimum (log scale)`, scale: { type: "log" as const } }
  const color = { field: "strategy", type: "nominal" as const, title: "strategy", sort: order }
  const title = `Convergence: best ${metric} against evaluations`
  return {
    id: "convergence",
    title,
    caption: "Each strategy's best score relative to FFM's optimum (1 is optimal) against the evaluations it was charged; a point at each improvement.",
    expectedMarks: points.length + series.size,
    spec: {
      $schema: SCHEMA,
      title,
      width: 420,
      height: 280,
      config: chartConfig,
      layer: [
        { data: { values: lines }, mark: { type: "line", interpolate: "step-after" }, encoding: { x, y, color } },
        { data: { values: points }, mark: { type: "point", filled: true, size: 40, tooltip: true }, encoding: { x, y, color } }
      ]
    }
  }
}
