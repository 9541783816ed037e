/**
 * Vega-Lite to SVG in Node: compile to a Vega spec, run a headless View (renderer "none": no
 * canvas, no browser) and serialize its scenegraph with Vega's SVG renderer. Vega and
 * Vega-Lite are loaded on first use, so importing this package costs a command nothing until
 * it draws a chart.
 */
import { Effect } from "effect"
import type { View } from "vega"
import { errorText, ReportError } from "../errors.ts"
import type { Chart } from "./chart.ts"

/** A View of the chart with its dataflow run: its scales and scenegraph can be inspected. */
export const chartView = async (chart: Chart): Promise<View> => {
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")])
  const view = new vega.View(vega.parse(vegaLite.compile(chart.spec).spec), { renderer: "none" })
  await view.runAsync()
  return view
}

export const renderChartSvg = (chart: Chart): Effect.Effect<string, ReportError> =>
  Effect.tryPromise({
    try: async () => {
      const view = await chartView(chart)
      try {
        return await view.toSVG()
      } finally {
        view.finalize()
      }
    },
    catch: (e) => new ReportError({ subject: `chart ${chart.id}`, path: [], reason: errorText(e) })
  })

/**
 * Data marks in a rendered SVG (see `Chart.expectedMarks`): Vega tags every drawn item
 * `role="graphics-symbol"`; axes, legends and titles are groups (`<g>`), data items are not.
 */
export const countMarks = (svg: string): number => (svg.match(/<(?!g[\s>])[a-z]+\s[^>]*role="graphics-symbol"/g) ?? []).length

/** The CSS selector for the same items in a browser's DOM. */
export const MARK_SELECTOR = '[role="graphics-symbol"]:not(g)'
