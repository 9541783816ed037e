/**
 * @effect-accelforge/report: pictures of the records the model produces. Vega-Lite charts
 * rendered to SVG in Node, the workload graph laid out by Graphviz, the mapping's LoopTree,
 * and one self-contained HTML report.
 */
export * from "./errors.ts"
export * from "./chart/chart.ts"
export * from "./chart/render-svg.ts"
export * from "./charts/energy-breakdown.ts"
export * from "./charts/latency.ts"
export * from "./charts/capacity.ts"
export * from "./charts/pareto-front.ts"
export * from "./charts/roofline.ts"
export * from "./roofline/roofline-data.ts"
export * from "./charts/sweep-axis.ts"
export * from "./charts/ski-slope.ts"
export * from "./charts/latency-timeline.ts"
export * from "./sweep/sweep-record.ts"
export * from "./graph/workload-graph.ts"
export * from "./loop-tree/loop-tree.ts"
export * from "./loop-tree/loop-tree-svg.ts"
export * from "./tables/format-number.ts"
export * from "./tables/evaluation-tables.ts"
export * from "./html/document.ts"
export * from "./html/result-tables.ts"
export * from "./mapping-report.ts"
export * from "./output.ts"
export * from "./sweep-report.ts"
export * from "./tables/columns.ts"
