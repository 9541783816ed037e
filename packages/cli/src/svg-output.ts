/**
 * `--svg FILE` for `run` and `evaluate`: the mapping drawn as a LoopTree and, below it in the
 * same SVG, the latency timeline (each Einsum's span on the critical path and each component's
 * busy time, from the result's overlap breakdown; the chart library loads only here).
 */
import * as Effect from "effect/Effect"
import { EvaluationError, type Mapping, writeFileAtomically } from "@effect-accelforge/core"
import type { OverlapBreakdown } from "@effect-accelforge/model"
import { type Bounds, latencyTimelineChart, renderChartSvg, renderLoopTreeSvg, timelineEntries } from "@effect-accelforge/report"

const GAP = 16

/** The root `<svg>` tag's width and height. */
const sizeOf = (svg: string): { width: number; height: number } => {
  const root = svg.slice(svg.indexOf("<svg"), svg.indexOf(">", svg.indexOf("<svg")))
  const attr = (name: string) => Number(new RegExp(`\\s${name}="([\\d.]+)"`).exec(root)?.[1] ?? 0)
  return { width: attr("width"), height: attr("height") }
}

/** Two SVG documents one above the other, as one (each nested at its offset). */
export const stackSvgs = (top: string, bottom: string): string => {
  const a = sizeOf(top)
  const b = sizeOf(bottom)
  const nested = (svg: string, y: number) => svg.slice(svg.indexOf("<svg")).replace("<svg", `<svg x="0" y="${y}"`)
  const height = a.height + GAP + b.height
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.max(a.width, b.width)}" height="${height}" viewBox="0 0 ${Math.max(a.width, b.width)} ${height}">`,
    nested(top, 0),
    nested(bottom, a.height + GAP),
    "</svg>"
  ].join("\n")
}

const svgError = (file: string) => (e: unknown) =>
  new EvaluationError({ path: ["--svg"], reason: `cannot write ${file}: ${e instanceof Error ? e.message : String(e)}` })

/** Writes the mapping's SVG as `--json` writes its record: a failure is one EvaluationError (one `error:` line). */
export const writeSvg = (file: string, mapping: Mapping, bounds: Bounds, overlap: OverlapBreakdown) =>
  Effect.gen(function*() {
    const einsums = overlap.einsums.map((e) => e.einsum)
    const timeline = yield* renderChartSvg(latencyTimelineChart(timelineEntries(overlap), einsums)).pipe(Effect.mapError(svgError(file)))
    yield* Effect.try({ try: () => writeFileAtomically(file, stackSvgs(renderLoopTreeSvg(mapping, bounds), timeline)), catch: svgError(file) })
  })
