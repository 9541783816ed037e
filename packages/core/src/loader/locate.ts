/**
 * Giving an EvaluationError the file and line of the field it names, when the raw document
 * knows them. Error paths name list items by their `name`; the raw document is indexed, so
 * the path is mapped back to indices as far as it matches.
 */
import { EvaluationError } from "../errors.ts"
import { positionAt, textOf } from "./raw.ts"

/** A readable path (list items by name or index) as raw document keys. */
export const rawPathOf = (root: unknown, path: ReadonlyArray<string>): ReadonlyArray<string | number> => {
  const out: Array<string | number> = []
  let node: unknown = root
  for (const segment of path) {
    if (Array.isArray(node)) {
      const byName = node.findIndex((item) =>
        item !== null && typeof item === "object" && textOf((item as Record<string, unknown>)["name"]) === segment
      )
      const index = byName >= 0 ? byName : /^\d+$/.test(segment) ? Number(segment) : -1
      if (index < 0 || index >= node.length) break
      out.push(index)
      node = node[index]
    } else if (node !== null && typeof node === "object" && Object.hasOwn(node, segment)) {
      out.push(segment)
      node = (node as Record<string, unknown>)[segment]
    } else break
  }
  return out
}

/** The same error with the file, line and column of its field, if known and not already set. */
export const locateError = (root: unknown, error: EvaluationError): EvaluationError => {
  if (error.file !== undefined) return error
  const position = positionAt(root, rawPathOf(root, error.path))
  if (position === undefined) return error
  return new EvaluationError({
    path: [...error.path],
    reason: error.reason,
    file: position.file,
    ...(position.line === undefined ? {} : { line: position.line }),
    ...(position.column === undefined ? {} : { column: position.column })
  })
}
