/**
 * The top-level `renames:` section (AccelForge §4.3). Only the entry named `default` is
 * used when evaluating (AccelForge's behaviour); other entries are accepted and kept.
 */
import * as Schema from "effect/Schema"
import type { RenameEntry } from "../sets/rename-entry.ts"
import { RenameList } from "../workload/schema.ts"
import { Text, withDefault } from "./primitives.ts"

export const EinsumRename = Schema.Struct({
  name: Text,
  tensor_accesses: withDefault(RenameList, []),
  rank_variables: withDefault(RenameList, [])
})
export type EinsumRename = typeof EinsumRename.Type

export const Renames = Schema.Struct({
  einsums: withDefault(Schema.Array(EinsumRename), [])
})
export type Renames = typeof Renames.Type

/** The renames of the top-level `default` entry: tensor accesses first, then rank variables. */
export const defaultRenames = (renames: Renames): ReadonlyArray<RenameEntry> => {
  const entry = renames.einsums.find((e) => e.name === "default")
  return entry === undefined ? [] : [...entry.tensor_accesses, ...entry.rank_variables]
}
