/**
 * `--set PATH=VALUE` overrides, applied to the merged raw document before validation.
 * PATH is dotted; a list element is named by its index or by its `name` field
 * (`arch.nodes.MainMemory.tensors.keep`). Missing mapping keys are created.
 */
import { EvaluationError } from "../errors.ts"
import { textOf } from "../loader/raw.ts"

export interface Override {
  readonly path: ReadonlyArray<string>
  readonly value: unknown
  /** The override as the user wrote it, for error messages. */
  readonly text: string
}

const isRecord = (u: unknown): u is Record<string, unknown> => u !== null && typeof u === "object" && !Array.isArray(u)

const listIndex = (list: ReadonlyArray<unknown>, segment: string): number => {
  if (/^\d+$/.test(segment)) return Number(segment)
  return list.findIndex((item) => isRecord(item) && textOf(item["name"]) === segment)
}

/** Parse `a.b.c=value` into a path and the value text. */
export const splitOverride = (text: string): { path: ReadonlyArray<string>; valueText: string } | undefined => {
  const eq = text.indexOf("=")
  if (eq <= 0) return undefined
  const path = text.slice(0, eq).trim().split(".")
  if (path.some((s) => s.length === 0)) return undefined
  return { path, valueText: text.slice(eq + 1) }
}

const copyContainer = (u: unknown): unknown => (Array.isArray(u) ? [...u] : isRecord(u) ? { ...u } : u)

/**
 * Return a copy of `doc` with the override applied (containers along the path are copied,
 * so the original document and its source positions stay intact).
 */
export const applyOverride = (doc: Record<string, unknown>, override: Override): Record<string, unknown> => {
  const root = { ...doc }
  let node: unknown = root
  const walked: Array<string> = []
  const failAt = (reason: string): never => {
    throw new EvaluationError({ path: [...override.path], reason: `--set ${override.text}: ${reason}` })
  }
  override.path.forEach((segment, i) => {
    const last = i === override.path.length - 1
    walked.push(segment)
    if (Array.isArray(node)) {
      const index = listIndex(node, segment)
      if (index < 0 || index >= node.length) {
        failAt(`no list element '${segment}' at ${walked.slice(0, -1).join(".") || "<root>"} (use an index or a name)`)
      }
      if (last) node[index] = override.value
      else node = node[index] = copyContainer(node[index])
      return
    }
    if (!isRecord(node)) failAt(`${walked.slice(0, -1).join(".")} is not a mapping or a list`)
    const record = node as Record<string, unknown>
    if (last) record[segment] = override.value
    else node = record[segment] = record[segment] === undefined || record[segment] === null ? {} : copyContainer(record[segment])
  })
  return root
}
