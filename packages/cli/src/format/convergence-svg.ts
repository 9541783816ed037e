/**
 * Convergence curves of `compare` as a small SVG: each strategy's score relative to FFM's
 * optimum against the evaluations it was charged, both axes logarithmic, one step line per
 * strategy (FFM is one point: its optimum, when it finishes). A stopgap until the project's
 * chart package (Vega-Lite) is on main; the same records are in `--json` under `curves`.
 */
import type { ComparisonRow } from "./comparison.ts"
import { escapeXml } from "./loop-tree-svg.ts"

const WIDTH = 720
const HEIGHT = 420
const LEFT = 70
const RIGHT = 170
const TOP = 20
const BOTTOM = 50
const COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]


/** Powers of ten spanning [lo, hi] (at least the two around them). */
const decades = (lo: number, hi: number): Array<number> => {
  const out: Array<number> = []
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e)
  return out
}

export const renderConvergenceSvg = (rows: ReadonlyArray<ComparisonRow>, ffmScore: number, title: string): string => {
  const points = rows.map((r) => r.history.filter((p) => p.evaluations > 0 && p.score > 0).map((p) => ({ x: p.evaluations, y: p.score / ffmScore })))
  const all = points.flat()
  const xs = decades(Math.min(...all.map((p) => p.x), 1), Math.max(...all.map((p) => p.x), ...rows.map((r) => r.evaluations), 10))
  const ys = decades(Math.min(...all.map((p) => p.y), 1), Math.max(...all.map((p) => p.y), 10))
  const [x0, x1] = [Math.log10(xs[0]!), Math.log10(xs[xs.length - 1]!)]
  const [y0, y1] = [Math.log10(ys[0]!), Math.log10(ys[ys.length - 1]!)]
  const px = (x: number) => LEFT + ((Math.log10(x) - x0) / (x1 - x0 || 1)) * (WIDTH - LEFT - RIGHT)
  const py = (y: number) => HEIGHT - BOTTOM - ((Math.log10(y) - y0) / (y1 - y0 || 1)) * (HEIGHT - TOP - BOTTOM)
  const right = WIDTH - RIGHT
  const parts: Array<string> = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    ...xs.map((x) => `<line x1="${px(x)}" y1="${TOP}" x2="${px(x)}" y2="${HEIGHT - BOTTOM}" stroke="#ddd"/><text x="${px(x)}" y="${HEIGHT - BOTTOM + 14}" text-anchor="middle">1e${Math.round(Math.log10(x))}</text>`),
    ...ys.map((y) => `<line x1="${LEFT}" y1="${py(y)}" x2="${right}" y2="${py(y)}" stroke="#ddd"/><text x="${LEFT - 6}" y="${py(y) + 4}" text-anchor="end">${y >= 1 ? y : y.toExponential(0)}</text>`),
    `<text x="${(LEFT + right) / 2}" y="${HEIGHT - 12}" text-anchor="middle">evaluations (log scale)</text>`,
    `<text transform="translate(16 ${(TOP + HEIGHT - BOTTOM) / 2}) rotate(-90)" text-anchor="middle">best score / FFM's optimum (log scale)</text>`
  ]
  rows.forEach((r, i) => {
    const color = COLORS[i % COLORS.length]!
    const p = points[i]!
    if (p.length === 1) parts.push(`<circle cx="${px(p[0]!.x)}" cy="${py(p[0]!.y)}" r="4" fill="${color}"/>`)
    else if (p.length > 1) {
      // Steps at each improvement, then flat to the last evaluation of the run.
      const end = Math.max(r.evaluations, p[p.length - 1]!.x)
      const path = p.map((q, k) => (k === 0 ? `M${px(q.x)},${py(q.y)}` : `H${px(q.x)}V${py(q.y)}`)).join("") + `H${px(end)}`
      parts.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="1.5"/>`)
    }
    parts.push(`<rect x="${right + 12}" y="${TOP + i * 18}" width="10" height="10" fill="${color}"/><text x="${right + 28}" y="${TOP + i * 18 + 9}">${escapeXml(r.strategy)}${p.length === 0 ? " (no point)" : ""}</text>`)
  })
  parts.push("</svg>")
  return parts.join("\n") + "\n"
}
