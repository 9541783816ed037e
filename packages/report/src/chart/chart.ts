/**
 * A chart is a Vega-Lite spec over records the model produced, plus what a reader (or a test)
 * needs to check it drew: how many data marks it must contain.
 */
import type { TopLevelSpec } from "vega-lite"

export interface Chart {
  /** Stable file-name stem, e.g. "energy-by-component" (`--plots DIR` writes `<id>.svg`). */
  readonly id: string
  readonly title: string
  /** One sentence under the chart in the HTML report: what is plotted and how to read it. */
  readonly caption: string
  readonly spec: TopLevelSpec
  /**
   * Data marks the rendered SVG holds (Vega's `role="graphics-symbol"` items): one per bar or
   * point, one per line series. Derived from the chart's own data, so a count that differs
   * means the grammar dropped or duplicated something.
   */
  readonly expectedMarks: number
}

/** Look shared by every chart: font, sizes, no border around the plot. */
export const chartConfig = {
  font: "DejaVu Sans, Helvetica, Arial, sans-serif",
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridOpacity: 0.5 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 280 },
  title: { fontSize: 14, anchor: "start" as const }
}

export const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"

/** Axis labels for quantities spanning many decades: 3 significant digits, SI prefixes. */
export const SI_FORMAT = ".3~s"
