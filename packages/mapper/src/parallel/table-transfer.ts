/**
 * A PmappingTable crosses a worker boundary without its templates (they hold the resolved
 * Einsum context, which does not clone cheaply): the receiver has the same templates in its
 * search setup (or merges parts into a table that takes them from there). Typed arrays are
 * transferred, not copied.
 */
import type { PmappingTable } from "../generate/pmapping-table.ts"

export type TransferableTable = Omit<PmappingTable, "templates">

export const detachTemplates = (table: PmappingTable): { table: TransferableTable; transfer: Array<ArrayBuffer> } => {
  const { templates: _templates, ...rest } = table
  const transfer = table.groups.flatMap((g) => [g.template.buffer, g.tileOffset.buffer, g.tiles.buffer, ...g.columns.map((c) => c.buffer)]) as Array<ArrayBuffer>
  return { table: rest, transfer: [...new Set(transfer)] }
}
