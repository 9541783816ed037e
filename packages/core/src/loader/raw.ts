/**
 * The raw document: what the loader hands to Schema decoding. Plain JS values (objects,
 * arrays, numbers, booleans, null, strings) with three conventions:
 *
 * - A quoted YAML scalar ('…' or "…") becomes a `LiteralString`: it is never evaluated as an
 *   expression (AccelForge's rule), while an unquoted string in an evaluated field is.
 * - A mapping with a node tag (`!Memory {...}`, `!Temporal {...}`) gets the tag name, without
 *   the `!`, under the key `TAG_KEY`.
 * - Every mapping and sequence the loader built is recorded in `sourcePositions`, so an error
 *   found later at a field path can name the file and line it came from.
 */
import type { SourcePosition } from "../errors.ts"

export const TAG_KEY = "$tag"

/** A quoted scalar: a string the user wrote in quotes, never evaluated. */
export class LiteralString {
  readonly value: string
  constructor(value: string) {
    this.value = value
  }
  toString(): string {
    return this.value
  }
}

export const isLiteralString = (u: unknown): u is LiteralString => u instanceof LiteralString

/** A string value, whether quoted or not. */
export const textOf = (u: unknown): string | undefined =>
  typeof u === "string" ? u : u instanceof LiteralString ? u.value : undefined

/** Where a mapping or sequence and each of its entries came from. */
export interface NodeSource {
  readonly file: string
  readonly line: number
  readonly column: number
  /** Position of each entry, by key (mappings) or index (sequences). */
  readonly entries: Map<string | number, { readonly line: number; readonly column: number }>
}

export const sourcePositions = new WeakMap<object, NodeSource>()

/**
 * The most precise known position of the value at `path` inside `root`: the entry itself if
 * recorded, else the closest recorded ancestor.
 */
export const positionAt = (root: unknown, path: ReadonlyArray<string | number>): SourcePosition | undefined => {
  let best: SourcePosition | undefined
  let node: unknown = root
  for (const segment of path) {
    if (node === null || typeof node !== "object") break
    const source = sourcePositions.get(node)
    const key = Array.isArray(node) ? Number(segment) : String(segment)
    if (source !== undefined) {
      const entry = source.entries.get(key)
      best = entry !== undefined
        ? { file: source.file, line: entry.line, column: entry.column }
        : { file: source.file, line: source.line, column: source.column }
    }
    node = (node as Record<string | number, unknown>)[key]
  }
  if (node !== null && typeof node === "object") {
    const source = sourcePositions.get(node)
    if (source !== undefined) best = { file: source.file, line: source.line, column: source.column }
  }
  return best
}

/** The merged, not yet validated content of one or more spec files. */
export interface RawDocument {
  /** Top-level keys; first file wins per key. */
  readonly data: Record<string, unknown>
  /** The files read, in order, as absolute paths (includes not listed). */
  readonly files: ReadonlyArray<string>
  /** Which file each top-level key came from. */
  readonly keySources: Record<string, string>
  /** What was read but had no effect: unused `-D` variables, top-level keys a later file lost. */
  readonly warnings?: ReadonlyArray<string>
}
