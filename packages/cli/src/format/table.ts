/**
 * Plain-text tables for the terminal: columns padded to their widest cell, numbers right-aligned.
 */
// The light entry: the report package's index would load the model and the chart code.
import { formatNumber } from "@effect-accelforge/report/format-number"

export { formatNumber }

export type Cell = string | number
export interface Column {
  readonly header: string
  readonly align?: "left" | "right"
}

export const renderTable = (columns: ReadonlyArray<Column>, rows: ReadonlyArray<ReadonlyArray<Cell>>): string => {
  const text = rows.map((row) => row.map((c) => (typeof c === "number" ? formatNumber(c) : c)))
  const widths = columns.map((col, i) => Math.max(col.header.length, ...text.map((r) => (r[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((c, i) => (columns[i]?.align === "right" ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd()
  return [line(columns.map((c) => c.header)), line(widths.map((w) => "-".repeat(w))), ...text.map(line)].join("\n")
}
