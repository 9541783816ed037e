/**
 * The columns of a result's tables, shared by the terminal and the HTML report: header, the
 * record field a number comes from (`data-field` in HTML), and alignment.
 */
export interface TableColumn {
  readonly header: string
  readonly field?: string
  readonly align?: "left" | "right"
}

const text = (header: string): TableColumn => ({ header })
const number = (header: string, field: string): TableColumn => ({ header, field, align: "right" })

export const TOTAL_COLUMNS: ReadonlyArray<TableColumn> = [text("total"), number("value", "value")]

export const EINSUM_COLUMNS: ReadonlyArray<TableColumn> = [text("Einsum"), text("compute"), number("energy", "energy"), number("leak", "leakEnergy"), number("latency", "latency")]

export const COMPONENT_COLUMNS: ReadonlyArray<TableColumn> = [
  text("Einsum"),
  text("component"),
  number("energy", "dynamic"),
  number("leak", "leak"),
  number("latency", "latency"),
  number("held (bits)", "bits"),
  number("capacity", "fraction")
]

export const SEARCH_COLUMNS: ReadonlyArray<TableColumn> = [
  text("Einsum"),
  number("templates", "templates"),
  number("total", "total"),
  number("valid", "valid"),
  number("evaluated", "evaluated"),
  number("Pareto-optimal", "paretoOptimal")
]

export const JOIN_COLUMNS: ReadonlyArray<TableColumn> = [
  text("Einsum"),
  number("group pairs", "pairsJoined"),
  number("row pairs", "rowsFormed"),
  number("kept", "rowsKept"),
  number("groups", "groupsKept"),
  number("time (s)", "seconds")
]

/** An Einsum as its rows name it: with its instance count when it runs more than once. */
export const einsumLabel = (einsum: string, nInstances: number): string => (nInstances !== 1 ? `${einsum} x${nInstances}` : einsum)
