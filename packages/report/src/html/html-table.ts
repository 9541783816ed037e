/**
 * HTML tables whose numeric cells carry the exact value (`data-value`, the number as JSON
 * writes it) beside the shown text, so a script or a test can read the report's numbers back.
 */
import { escapeXml } from "../loop-tree/loop-tree-svg.ts"
import type { TableColumn } from "../tables/columns.ts"
import { formatNumber } from "../tables/format-number.ts"

/** A cell: text, or a number (shown formatted, exact in `data-value`), or a number shown as given text. */
export type HtmlCell = string | number | undefined | { readonly value: number; readonly text: string }


export interface HtmlRow {
  readonly cells: ReadonlyArray<HtmlCell>
  /** Attributes of the `<tr>` that identify the row, e.g. {einsum: "X1"} -> data-einsum="X1". */
  readonly keys?: Readonly<Record<string, string>>
  readonly className?: string
}

const attributes = (keys: Readonly<Record<string, string>> | undefined): string =>
  Object.entries(keys ?? {}).map(([k, v]) => ` data-${k}="${escapeXml(v)}"`).join("")

const cell = (c: HtmlCell, column: TableColumn | undefined): string => {
  const field = column?.field === undefined ? "" : ` data-field="${escapeXml(column.field)}"`
  if (c === undefined) return `<td${field}>?</td>`
  if (typeof c === "string") return `<td${field}>${escapeXml(c)}</td>`
  const value = typeof c === "number" ? c : c.value
  const text = typeof c === "number" ? formatNumber(c) : c.text
  const cls = column?.field === undefined ? "num" : `num ${escapeXml(column.field)}`
  return `<td class="${cls}"${field} data-value="${escapeXml(String(value))}">${escapeXml(text)}</td>`
}

export const htmlTable = (id: string, caption: string, columns: ReadonlyArray<TableColumn>, rows: ReadonlyArray<HtmlRow>): string =>
  [
    `<table id="${escapeXml(id)}">`,
    `<caption>${escapeXml(caption)}</caption>`,
    `<thead><tr>${columns.map((c) => `<th>${escapeXml(c.header)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...rows.map((r) => `<tr${attributes(r.keys)}${r.className === undefined ? "" : ` class="${escapeXml(r.className)}"`}>${r.cells.map((c, i) => cell(c, columns[i])).join("")}</tr>`),
    "</tbody>",
    "</table>"
  ].join("\n")
