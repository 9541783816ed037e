/**
 * A mapping as a self-contained SVG, drawn top-down like AccelForge's `Mapping.render()`: one
 * box per node (storage and toll nodes colored per component, loops as `for m in [0, 4)` with
 * their tile, spatial loops with their component.dimension, the Compute with its Einsum and
 * unit), an edge from each node to what hangs below it, and a `Sequential` fanning out into
 * side-by-side branches. The tree and its iteration counts are the text view's
 * (`shownLoopTree`): loops that run once are left out.
 *
 * Layout: a subtree is as wide as the wider of its own box and its branches side by side;
 * each node is centered over its subtree. Text width is estimated from a monospace font.
 */
import type { Mapping, MappingNode } from "@effect-accelforge/core"
import { type Bounds, formatIterations, type ShownNode, shownLoopTree, tensorsOf } from "./loop-tree.ts"

export interface LoopTreeSvgOptions {
  /** Shown above the tree (default: the mapping's `title`, if any). */
  readonly title?: string
}

const FONT_SIZE = 12
const CHAR_WIDTH = 7.4 // monospace at 12px, with a little slack for bold
const LINE_HEIGHT = 16
const PAD_X = 10
const PAD_Y = 6
const H_GAP = 24
const V_GAP = 26
const MARGIN = 16
const TITLE_HEIGHT = 28

const PALETTE = ["#cfe2ff", "#d4efd4", "#ffe3b3", "#f7d0e0", "#e1d5f5", "#cdeeee", "#fff1a8", "#efd9c6", "#dfe6c2", "#f3cfcf"]

export const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&apos;"))

const num = (n: number): string => String(Math.round(n * 10) / 10)

interface Look {
  readonly kind: string
  readonly lines: ReadonlyArray<string>
  readonly fill: string
  readonly stroke: string
  readonly dashed?: boolean
  readonly rounded?: boolean
  readonly component?: string
}

const look = (s: ShownNode, color: (component: string) => string): Look => {
  const n: MappingNode = s.node
  switch (n.$tag) {
    case "Storage":
      return {
        kind: "storage",
        lines: [`${n.component} reuses ${tensorsOf(n.tensors)}${n.persistent ? " (persistent)" : ""}`],
        fill: color(n.component),
        stroke: "#555555",
        component: n.component
      }
    case "Toll":
      return { kind: "toll", lines: [`${n.component} toll ${tensorsOf(n.tensors)}`], fill: color(n.component), stroke: "#555555", dashed: true, component: n.component }
    case "Temporal":
    case "Spatial": {
      const range = `${n.rank_variable} in [0, ${s.iterations.map(formatIterations).join(" | ")})`
      const tile = `tile ${String(n.tile_shape)}`
      return n.$tag === "Spatial"
        ? { kind: "loop spatial", lines: [`spatial-for ${range}`, `${n.component}.${n.name}, ${tile}`], fill: "#f1f1f1", stroke: "#333333", component: n.component }
        : { kind: "loop temporal", lines: [`for ${range}`, tile], fill: "#ffffff", stroke: "#333333" }
    }
    case "Compute":
      return { kind: "compute", lines: [`Einsum ${n.einsum}`, `on ${n.component}`], fill: "#e4e4e4", stroke: "#222222", rounded: true, component: n.component }
    case "Reservation":
      return { kind: "reservation", lines: [`Reservation ${n.resource}${n.purposes.length > 0 ? ` (${n.purposes.join(", ")})` : ""}`], fill: "#ffffff", stroke: "#888888", dashed: true }
    case "TextBox":
      return { kind: "text", lines: String(n.text).split("\n"), fill: "#ffffff", stroke: "#888888", dashed: true }
    default:
      return { kind: "branch", lines: [n.$tag], fill: "#fafafa", stroke: "#555555", rounded: true }
  }
}

interface Placed {
  readonly look: Look
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
  readonly children: ReadonlyArray<Placed>
}

interface Measured {
  readonly look: Look
  readonly w: number
  readonly h: number
  /** Width of the subtree: the wider of this box and its children side by side. */
  readonly span: number
  readonly children: ReadonlyArray<Measured>
}

const measure = (s: ShownNode, color: (component: string) => string): Measured => {
  const l = look(s, color)
  const w = Math.max(...l.lines.map((line) => line.length)) * CHAR_WIDTH + 2 * PAD_X
  const h = l.lines.length * LINE_HEIGHT + 2 * PAD_Y
  const children = s.children.map((c) => measure(c, color))
  const row = children.reduce((sum, c) => sum + c.span, 0) + H_GAP * Math.max(0, children.length - 1)
  return { look: l, w, h, span: Math.max(w, row), children }
}

const place = (m: Measured, left: number, top: number): Placed => {
  const center = left + m.span / 2
  const row = m.children.reduce((sum, c) => sum + c.span, 0) + H_GAP * Math.max(0, m.children.length - 1)
  let x = center - row / 2
  const children: Array<Placed> = []
  for (const c of m.children) {
    children.push(place(c, x, top + m.h + V_GAP))
    x += c.span + H_GAP
  }
  return { look: m.look, x: center - m.w / 2, y: top, w: m.w, h: m.h, children }
}

const bottomOf = (p: Placed): number => Math.max(p.y + p.h, ...p.children.map(bottomOf))
const rightOf = (p: Placed): number => Math.max(p.x + p.w, ...p.children.map(rightOf))

const drawEdges = (p: Placed, out: Array<string>): void => {
  const px = p.x + p.w / 2
  const py = p.y + p.h
  for (const c of p.children) {
    const cx = c.x + c.w / 2
    const d = cx === px ? `M${num(px)} ${num(py)} V${num(c.y)}` : `M${num(px)} ${num(py)} V${num(py + V_GAP / 2)} H${num(cx)} V${num(c.y)}`
    out.push(`<path d="${d}" fill="none" stroke="#666666" stroke-width="1.2" marker-end="url(#arrow)"/>`)
    drawEdges(c, out)
  }
}

const drawNodes = (p: Placed, out: Array<string>): void => {
  const l = p.look
  const component = l.component === undefined ? "" : ` data-component="${escapeXml(l.component)}"`
  out.push(`<g class="node ${l.kind}"${component}>`)
  out.push(
    `<rect x="${num(p.x)}" y="${num(p.y)}" width="${num(p.w)}" height="${num(p.h)}"${l.rounded === true ? ` rx="8"` : ` rx="2"`} fill="${l.fill}" stroke="${l.stroke}"${l.dashed === true ? ` stroke-dasharray="4 3"` : ""}/>`
  )
  l.lines.forEach((line, i) => {
    const y = p.y + PAD_Y + (i + 0.5) * LINE_HEIGHT
    const weight = i === 0 && l.kind === "compute" ? ` font-weight="bold"` : i > 0 ? ` fill="#444444"` : ""
    out.push(`<text x="${num(p.x + p.w / 2)}" y="${num(y)}" text-anchor="middle" dominant-baseline="central"${weight}>${escapeXml(line)}</text>`)
  })
  out.push(`</g>`)
  for (const c of p.children) drawNodes(c, out)
}

/** Components in the order the tree first shows them, so colors are stable for a mapping. */
const componentColors = (): ((component: string) => string) => {
  const seen = new Map<string, string>()
  return (component) => {
    let c = seen.get(component)
    if (c === undefined) {
      c = PALETTE[seen.size % PALETTE.length]!
      seen.set(component, c)
    }
    return c
  }
}

export const renderLoopTreeSvg = (mapping: Mapping, bounds: Bounds, options: LoopTreeSvgOptions = {}): string => {
  const title = options.title ?? mapping.title ?? undefined
  const root = shownLoopTree(mapping, bounds)
  const top = MARGIN + (title === undefined ? 0 : TITLE_HEIGHT)
  const placed = root === undefined ? undefined : place(measure(root, componentColors()), MARGIN, top)
  const titleWidth = title === undefined ? 0 : title.length * CHAR_WIDTH * 1.2
  const width = Math.max(placed === undefined ? 0 : rightOf(placed), titleWidth + MARGIN) + MARGIN
  const height = (placed === undefined ? top : bottomOf(placed)) + MARGIN
  const body: Array<string> = []
  if (title !== undefined) {
    body.push(`<title>${escapeXml(title)}</title>`)
    body.push(`<text x="${MARGIN}" y="${MARGIN + FONT_SIZE}" font-size="${FONT_SIZE + 2}" font-weight="bold">${escapeXml(title)}</text>`)
  }
  if (placed !== undefined) {
    body.push(`<g class="edges">`)
    drawEdges(placed, body)
    body.push(`</g>`)
    body.push(`<g class="nodes">`)
    drawNodes(placed, body)
    body.push(`</g>`)
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" font-family="Menlo, Consolas, 'DejaVu Sans Mono', monospace" font-size="${FONT_SIZE}">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#666666"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...body,
    `</svg>`,
    ""
  ].join("\n")
}
