/**
 * From chosen rows back to one LoopTree (`mapping:` format): each Einsum's template with its
 * row's tile shapes, as `Nested` chains under one `Sequential` (Einsums mapped alone share no
 * loop, so they simply run one after the other).
 */
import type { Mapping, MappingNode } from "@effect-accelforge/core"
import type { MappingSource } from "@effect-accelforge/model"
import { rowMappingNodes } from "../evaluate/evaluate-row.ts"
import type { PmappingTable } from "../generate/pmapping-table.ts"
import type { RowChoice } from "../unfused/choose-unfused.ts"

export const chosenChain = (table: PmappingTable, choice: RowChoice): Array<MappingNode> => {
  const template = table.templates[choice.group.template[choice.row]!]!
  return rowMappingNodes(template, choice.group.tiles, choice.group.tileOffset[choice.row]!)
}

export const sequentialMapping = (tables: ReadonlyArray<PmappingTable>, choices: ReadonlyArray<RowChoice>): MappingSource => {
  const byEinsum = new Map(tables.map((t) => [t.einsum, t] as const))
  const chains = choices.map((c): MappingNode => ({ $tag: "Nested", nodes: chosenChain(byEinsum.get(c.einsum)!, c) }))
  const mapping: Mapping = { nodes: chains.length === 1 ? (chains[0] as { nodes: ReadonlyArray<MappingNode> }).nodes : [{ $tag: "Sequential", nodes: chains }] }
  return { mapping, root: { mapping } }
}
