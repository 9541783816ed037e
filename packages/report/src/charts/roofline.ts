/**
 * The roofline: each Einsum at its operational intensity (ops per byte across the outermost
 * memory) and attained performance (ops per time unit), under each compute unit's roof
 * min(peak, bandwidth x intensity). Log-log. Einsums with no off-chip traffic (infinite
 * intensity) or no ops cannot sit on these axes and are named in the caption instead.
 */
import { type Chart, chartConfig, SCHEMA, SI_FORMAT } from "../chart/chart.ts"
import type { Roofline } from "../roofline/roofline-data.ts"

const plottable = (v: number): boolean => v > 0 && Number.isFinite(v)

/** Each compute unit's roof as a polyline over the intensity domain (bend at the ridge point). */
const roofLines = (r: Roofline, domain: readonly [number, number]) =>
  r.roofs.flatMap(({ compute, peak }) => {
    const at = (intensity: number) => ({ roof: compute, intensity, performance: r.bandwidth === undefined ? peak : Math.min(peak, r.bandwidth * intensity) })
    const ridge = r.bandwidth === undefined ? undefined : peak / r.bandwidth
    const xs = ridge !== undefined && ridge > domain[0] && ridge < domain[1] ? [domain[0], ridge, domain[1]] : [...domain]
    return xs.map(at)
  })

export const rooflineChart = (r: Roofline): Chart => {
  const shown = r.points.filter((p) => plottable(p.intensity) && plottable(p.performance))
  const left = r.points.filter((p) => !shown.includes(p)).map((p) => p.einsum)
  const ridges = r.bandwidth === undefined ? [] : r.roofs.map((roof) => roof.peak / r.bandwidth!).filter(plottable)
  const xs = [...shown.map((p) => p.intensity), ...ridges]
  const intensityDomain: [number, number] = xs.length === 0 ? [0.1, 10] : [Math.min(...xs) / 4, Math.max(...xs) * 4]
  const peaks = r.roofs.map((roof) => roof.peak).filter(plottable)
  const ys = [...shown.map((p) => p.performance), ...peaks]
  const performanceDomain: [number, number] = ys.length === 0 ? [0.1, 10] : [Math.min(...ys) / 4, Math.max(...ys) * 2]
  const roofs = roofLines(r, intensityDomain).filter((p) => plottable(p.performance))
  const x = { field: "intensity", type: "quantitative" as const, title: `operational intensity (ops per byte across ${r.outerMemory})`, scale: { type: "log" as const, domain: intensityDomain }, axis: { format: SI_FORMAT } }
  const y = { field: "performance", type: "quantitative" as const, title: "attained performance (ops per time unit)", scale: { type: "log" as const, domain: performanceDomain }, axis: { format: SI_FORMAT } }
  const bandwidth = r.bandwidth === undefined ? `${r.outerMemory} has no finite read throughput, so there is no bandwidth roof` : `bandwidth roof ${Number(r.bandwidth.toPrecision(4))} bytes per time unit from ${r.outerMemory}`
  const roofSeries = new Set(roofs.map((p) => p.roof)).size
  return {
    id: "roofline",
    title: "Roofline",
    caption: `Each Einsum at ops / bytes moved across ${r.outerMemory} against ops / latency; ${bandwidth}.${left.length > 0 ? ` Not on these axes (no off-chip traffic or no ops): ${left.join(", ")}.` : ""}`,
    expectedMarks: roofSeries + 2 * shown.length,
    spec: {
      $schema: SCHEMA,
      title: "Roofline",
      width: 380,
      height: 280,
      config: chartConfig,
      layer: [
        {
          data: { values: roofs },
          mark: { type: "line", clip: true, strokeWidth: 2 },
          encoding: { x, y, color: { field: "roof", type: "nominal", title: "compute unit" }, tooltip: { field: "roof" } }
        },
        {
          data: { values: shown.map((p) => ({ ...p, roof: p.compute })) },
          layer: [
            {
              mark: { type: "point", filled: true, size: 70, tooltip: true },
              encoding: { x, y, color: { field: "roof", type: "nominal", title: "compute unit" } }
            },
            {
              mark: { type: "text", align: "left", dx: 7, dy: -7, fontSize: 11 },
              encoding: { x, y, text: { field: "einsum" } }
            }
          ]
        }
      ]
    }
  }
}
