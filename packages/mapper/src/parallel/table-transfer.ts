/**
 * A PmappingTable crosses a worker boundary without its templates (they hold the resolved
 * Einsum context, which does not clone cheaply): the receiver regenerates the templates, which
 * is deterministic and fast, and reattaches them. Typed arrays are transferred, not copied.
 */
import type { EinsumContext, MapperConfig } from "@effect-accelforge/core"
import { einsumTemplates } from "../generate/generate-pmappings.ts"
import type { PmappingTable } from "../generate/pmapping-table.ts"
import { einsumFacts } from "../template/einsum-facts.ts"

export type TransferableTable = Omit<PmappingTable, "templates">

export const detachTemplates = (table: PmappingTable): { table: TransferableTable; transfer: Array<ArrayBuffer> } => {
  const { templates: _templates, ...rest } = table
  const transfer = table.groups.flatMap((g) => [g.template.buffer, g.tileOffset.buffer, g.tiles.buffer, ...g.columns.map((c) => c.buffer)]) as Array<ArrayBuffer>
  return { table: rest, transfer: [...new Set(transfer)] }
}

export const attachTemplates = (table: TransferableTable, ctx: EinsumContext, fusable: ReadonlySet<string>, config: MapperConfig): PmappingTable => ({
  ...table,
  templates: einsumTemplates(ctx, einsumFacts(ctx, fusable), config)
})
