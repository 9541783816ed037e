/**
 * Energy against latency for a set of mappings (the front of a multi-metric run, or every
 * point of a sweep): the non-dominated points joined by their staircase, dominated points in
 * grey, and energy-delay-product isolines (energy x latency constant: straight lines on these
 * log-log axes) at 1x, 2x and 4x the smallest EDP.
 */
import { type Chart, chartConfig, SCHEMA, SI_FORMAT } from "../chart/chart.ts"

export interface FrontPoint {
  readonly energy: number
  readonly latency: number
  /** Shown in the tooltip (e.g. the mapping's index or the sweep point). */
  readonly label?: string
  /** The mapping the run reports in detail. */
  readonly chosen?: boolean
}

const dominates = (q: FrontPoint, p: FrontPoint): boolean =>
  q.energy <= p.energy && q.latency <= p.latency && (q.energy < p.energy || q.latency < p.latency)

/**
 * The points no other point dominates (both objectives minimized), by rising latency. Sorted by
 * latency then energy, a point is on the front when its energy is below every earlier point's.
 */
export const paretoFront = (points: ReadonlyArray<FrontPoint>): Array<FrontPoint> => {
  const sorted = [...points].sort((a, b) => a.latency - b.latency || a.energy - b.energy)
  const front: Array<FrontPoint> = []
  for (const p of sorted) {
    const last = front[front.length - 1]
    if (last === undefined || p.energy < last.energy || (p.energy === last.energy && p.latency === last.latency)) front.push(p)
  }
  return front
}

export const EDP_MULTIPLES = [1, 2, 4] as const

/** Each isoline as two end points across the latency domain (a straight line in log-log). */
const isolines = (minEdp: number, latencyDomain: readonly [number, number]) =>
  EDP_MULTIPLES.flatMap((k) => latencyDomain.map((latency) => ({ isoline: k === 1 ? "EDP = min" : `EDP = ${k}x min`, latency, energy: (k * minEdp) / latency })))

const padded = (values: ReadonlyArray<number>): [number, number] => [Math.min(...values) / 1.5, Math.max(...values) * 1.5]

export const paretoFrontChart = (points: ReadonlyArray<FrontPoint>, id = "pareto-front"): Chart => {
  const usable = points.filter((p) => p.energy > 0 && p.latency > 0 && Number.isFinite(p.energy) && Number.isFinite(p.latency))
  const front = new Set(paretoFront(usable))
  const minEdp = Math.min(...usable.map((p) => p.energy * p.latency))
  const latencyDomain = padded(usable.map((p) => p.latency))
  const energyDomain = padded(usable.map((p) => p.energy))
  const rows = usable.map((p) => ({
    energy: p.energy,
    latency: p.latency,
    edp: p.energy * p.latency,
    label: p.label ?? "",
    status: front.has(p) ? (p.chosen === true ? "on the front (chosen)" : "on the front") : "dominated",
    order: p.latency
  }))
  const staircase = rows.filter((r) => r.status !== "dominated")
  const x = { field: "latency", type: "quantitative" as const, title: "latency", scale: { type: "log" as const, domain: latencyDomain }, axis: { format: SI_FORMAT } }
  const y = { field: "energy", type: "quantitative" as const, title: "energy", scale: { type: "log" as const, domain: energyDomain }, axis: { format: SI_FORMAT } }
  return {
    id,
    title: "Energy vs latency: the Pareto front",
    caption: `${front.size} non-dominated of ${usable.length} mapping(s); dashed lines are constant energy-delay product at 1x, 2x and 4x the smallest.`,
    expectedMarks: usable.length + (staircase.length >= 2 ? 1 : 0) + (usable.length > 0 ? EDP_MULTIPLES.length : 0),
    spec: {
      $schema: SCHEMA,
      title: "Energy vs latency: the Pareto front",
      width: 360,
      height: 280,
      config: chartConfig,
      layer: [
        {
          data: { values: usable.length > 0 ? isolines(minEdp, latencyDomain) : [] },
          mark: { type: "line", clip: true, strokeDash: [4, 3], strokeWidth: 1 },
          encoding: { x, y, detail: { field: "isoline", type: "nominal" }, color: { value: "#999999" }, tooltip: { field: "isoline" } }
        },
        ...(staircase.length >= 2
          ? [{
            data: { values: staircase },
            mark: { type: "line" as const, interpolate: "step-after" as const, color: "#4c78a8" },
            encoding: { x, y, order: { field: "order", type: "quantitative" as const } }
          }]
          : []),
        {
          data: { values: rows },
          mark: { type: "point", filled: true, size: 70, tooltip: true },
          encoding: {
            x,
            y,
            color: { field: "status", type: "nominal", title: "", scale: { domain: ["on the front (chosen)", "on the front", "dominated"], range: ["#e45756", "#4c78a8", "#bbbbbb"] } },
            shape: { field: "status", type: "nominal", title: "" }
          }
        }
      ]
    }
  }
}
