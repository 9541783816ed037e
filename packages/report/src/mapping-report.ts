/**
 * The report of one evaluated mapping (from `evaluate`, or the mapping `run` chose): its tables,
 * every chart, the workload graph and the LoopTree, as SVGs and as one HTML page.
 */
import { Effect } from "effect"
import type { LoadedSpec, Mapping } from "@effect-accelforge/core"
import type { EvaluationResult } from "@effect-accelforge/model"
import type { Chart } from "./chart/chart.ts"
import { renderChartSvg } from "./chart/render-svg.ts"
import { capacityCharts } from "./charts/capacity.ts"
import { energyByActionChart, energyByComponentChart } from "./charts/energy-breakdown.ts"
import { latencyChart } from "./charts/latency.ts"
import { latencyTimelineChart, type TimelineEntry } from "./charts/latency-timeline.ts"
import { type FrontPoint, paretoFrontChart } from "./charts/pareto-front.ts"
import { rooflineChart } from "./charts/roofline.ts"
import type { ReportError } from "./errors.ts"
import { renderWorkloadGraphSvg, type WorkloadGraph, workloadGraphOf } from "./graph/workload-graph.ts"
import { type Figure, htmlDocument, type Section } from "./html/document.ts"
import { componentTable, einsumTable, type SearchStats, searchTables, totalsTable } from "./html/result-tables.ts"
import { renderLoopTreeSvg } from "./loop-tree/loop-tree-svg.ts"
import { type Roofline, rooflineOf } from "./roofline/roofline-data.ts"

export interface MappingReportInput {
  readonly title: string
  /** Lines under the title: the files, the metric, how the mapping was found. */
  readonly subtitle: ReadonlyArray<string>
  readonly loaded: LoadedSpec
  readonly result: EvaluationResult
  /** The evaluated mapping, drawn as a LoopTree (absent: no tree section). */
  readonly mapping: Mapping | undefined
  /** `run`'s search counters. */
  readonly search?: SearchStats
  /** The points of a multi-metric run's front; the front chart is drawn when there are two or more. */
  readonly front?: ReadonlyArray<FrontPoint>
  /** Per-Einsum start/end times, once the model produces them (overlapped latency). */
  readonly timeline?: ReadonlyArray<TimelineEntry>
}

export interface RenderedChart {
  readonly chart: Chart
  readonly svg: string
}

export interface MappingReport {
  readonly roofline: Roofline
  readonly charts: ReadonlyArray<RenderedChart>
  readonly graph: WorkloadGraph
  readonly graphSvg: string
  readonly html: string
}

/** Every chart this input supports, in the order the report shows them. */
export const mappingCharts = (input: MappingReportInput, roofline: Roofline): Array<Chart> => [
  energyByComponentChart(input.result),
  energyByActionChart(input.result),
  latencyChart(input.result),
  ...(input.timeline !== undefined && input.timeline.length > 0 ? [latencyTimelineChart(input.timeline, input.result.einsums.map((e) => e.einsum))] : []),
  ...capacityCharts(input.result),
  rooflineChart(roofline),
  ...(input.front !== undefined && input.front.length >= 2 ? [paretoFrontChart(input.front)] : [])
]

export const renderCharts = (charts: ReadonlyArray<Chart>): Effect.Effect<Array<RenderedChart>, ReportError> =>
  Effect.forEach(charts, (chart) => Effect.map(renderChartSvg(chart), (svg) => ({ chart, svg })))

export const chartFigure = ({ chart, svg }: RenderedChart): Figure => ({ id: chart.id, svg, caption: chart.caption, expectedMarks: chart.expectedMarks })

const loopTreeFigure = (loaded: LoadedSpec, mapping: Mapping): Figure => ({
  id: "mapping",
  svg: renderLoopTreeSvg(mapping, (einsum) => loaded.workload.einsumsByName.get(einsum)?.bounds ?? new Map<string, number>()),
  caption: "The mapping as a LoopTree: storage nodes per component, loops with their tiles, one branch per Einsum.",
  wide: true
})

const sections = (input: MappingReportInput, charts: ReadonlyArray<RenderedChart>, graph: WorkloadGraph, graphSvg: string): Array<Section> => {
  const fused = graph.tensors.filter((t) => t.fused && t.role === "intermediate").map((t) => t.name)
  return [
    { title: "Totals", html: [totalsTable(input.result), einsumTable(input.result)].join("\n") },
    { title: "Charts", figures: charts.map(chartFigure) },
    {
      title: "Workload",
      figures: [{
        id: "workload-graph",
        svg: graphSvg,
        caption: `Einsums (boxes) and tensors (ellipses). Fused tensors, which never leave on-chip memory in this mapping: ${fused.length === 0 ? "none" : fused.join(", ")}.`,
        expectedNodes: graph.einsums.length + graph.tensors.length,
        wide: true
      }]
    },
    { title: "Breakdown", html: componentTable(input.result) },
    ...(input.search === undefined ? [] : [{ title: "Search", html: searchTables(input.search) }]),
    ...(input.mapping === undefined ? [] : [{ title: "Mapping", figures: [loopTreeFigure(input.loaded, input.mapping)] }])
  ]
}

export const mappingReport = (input: MappingReportInput): Effect.Effect<MappingReport, ReportError> =>
  Effect.gen(function*() {
    const roofline = yield* Effect.fromResult(rooflineOf(input.loaded, input.result))
    const charts = yield* renderCharts(mappingCharts(input, roofline))
    const graph = workloadGraphOf(input.loaded, input.result, roofline.outerMemory)
    const graphSvg = yield* renderWorkloadGraphSvg(graph)
    const html = htmlDocument({ title: input.title, subtitle: input.subtitle, sections: sections(input, charts, graph, graphSvg) })
    return { roofline, charts, graph, graphSvg, html }
  })
