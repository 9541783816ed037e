/**
 * One rename, normalised from either form AccelForge accepts (`{new: source}` or
 * `{name, source, expected_count}`), whether written on an Einsum or in the top-level
 * `renames.einsums[default]` entry.
 */
export interface RenameEntry {
  readonly name: string
  /** A set expression (tensors or rank variables); evaluated in order, after earlier renames. */
  readonly source: string
  /** An expression giving the required `len(source)`, or a number; absent = unchecked. */
  readonly expectedCount?: string | number
}
