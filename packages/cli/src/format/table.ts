/**
 * Plain-text tables for the terminal: columns padded to their widest cell, numbers right-aligned.
 */
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

/** Compact, exact-enough numbers: integers in full up to 1e15, otherwise 4 significant digits. */
export const formatNumber = (n: number): string => {
  if (n === Infinity) return "inf"
  if (n === -Infinity) return "-inf"
  if (Number.isNaN(n)) return "nan"
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n)
  const abs = Math.abs(n)
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e15)) return n.toExponential(4).replace(/\.?0+e/, "e")
  return String(Number(n.toPrecision(6)))
}
