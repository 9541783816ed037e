/**
 * The report page: a header, sections of tables and figures, every SVG inline and the CSS in a
 * `<style>`: one file that opens anywhere with no network.
 */
import { escapeXml } from "../loop-tree/loop-tree-svg.ts"
import { scopeSvgIds } from "./scope-svg-ids.ts"
import { REPORT_CSS } from "./style.ts"

export interface Figure {
  /** `data-chart` of the figure (a chart's id, "workload-graph", "mapping"). */
  readonly id: string
  readonly svg: string
  readonly caption: string
  /** Data marks the SVG must show (charts only): the browser test counts them. */
  readonly expectedMarks?: number
  /** Graph nodes the SVG must show (the workload graph). */
  readonly expectedNodes?: number
  readonly wide?: boolean
}

export interface Section {
  readonly title: string
  /** Raw HTML (tables, notes) before the figures. */
  readonly html?: string
  readonly figures?: ReadonlyArray<Figure>
}

export interface Page {
  readonly title: string
  readonly subtitle: ReadonlyArray<string>
  readonly sections: ReadonlyArray<Section>
}

const figure = (f: Figure): string => {
  const data = [
    ` data-chart="${escapeXml(f.id)}"`,
    f.expectedMarks === undefined ? "" : ` data-expected-marks="${f.expectedMarks}"`,
    f.expectedNodes === undefined ? "" : ` data-expected-nodes="${f.expectedNodes}"`
  ].join("")
  return `<figure${f.wide === true ? ` class="wide"` : ""}${data}>\n${scopeSvgIds(f.svg.trim(), f.id)}\n<figcaption>${escapeXml(f.caption)}</figcaption>\n</figure>`
}

const section = (s: Section): string =>
  [
    `<section>`,
    `<h2>${escapeXml(s.title)}</h2>`,
    s.html === undefined ? "" : `<div class="row">\n${s.html}\n</div>`,
    s.figures === undefined || s.figures.length === 0 ? "" : `<div class="row">\n${s.figures.map(figure).join("\n")}\n</div>`,
    `</section>`
  ].filter((x) => x !== "").join("\n")

export const htmlDocument = (p: Page): string =>
  [
    "<!DOCTYPE html>",
    `<html lang="en">`,
    "<head>",
    `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeXml(p.title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    "</head>",
    "<body>",
    `<header><h1>${escapeXml(p.title)}</h1>${p.subtitle.map((line) => `<p>${escapeXml(line)}</p>`).join("")}</header>`,
    "<main>",
    ...p.sections.map(section),
    "</main>",
    `<footer>Made by effect-accelforge. Numbers are in the arch's units (energy and time as its actions give them). Charts: Vega-Lite; workload graph: Graphviz.</footer>`,
    "</body>",
    "</html>",
    ""
  ].join("\n")
