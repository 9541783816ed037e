/**
 * Merge keys (spec §1.5), applied after parsing, innermost mappings first:
 *
 * - `<<` (shallow): keys of the merged dict are added where missing; existing keys win.
 * - `<<<` (deep): as `<<`, but two dicts merge recursively, two lists become `local + merged`,
 *   anything else keeps the local value, and a local value tagged `!nomerge` is left alone.
 *
 * The merged value is deep-copied first; a list of dicts is folded left to right into `{}`
 * (so earlier elements win). New keys are appended after the existing ones. Only one merge
 * key per mapping, and it must hold a dict or a list of dicts.
 */
import { type NodeSource, sourcePositions } from "./raw.ts"
import { isPlainObject } from "./pystr.ts"

type Dict = Record<string, unknown>

/** Values tagged `!nomerge`: `<<<` never merges into them. */
const noMerge = new WeakSet<object>()

export const markNoMerge = (value: object): void => {
  noMerge.add(value)
}

/** Set a key, even `__proto__`, as an own enumerable property. */
export const setKey = (target: Dict, key: string, value: unknown): void => {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

/** A deep copy of dicts and lists that keeps their recorded positions and `!nomerge` marks. */
export const deepCopy = <A>(value: A): A => {
  if (Array.isArray(value)) return keepMarks(value, value.map(deepCopy)) as A
  if (isPlainObject(value)) {
    const copy: Dict = {}
    for (const [k, v] of Object.entries(value)) setKey(copy, k, deepCopy(v))
    return keepMarks(value, copy) as A
  }
  return value
}

const keepMarks = <A extends object>(original: object, copy: A): A => {
  const source = sourcePositions.get(original)
  if (source !== undefined) sourcePositions.set(copy, { ...source, entries: new Map(source.entries) })
  if (noMerge.has(original)) noMerge.add(copy)
  return copy
}

export type MergeMode = "<<" | "<<<"

/** Record the position of an added entry when it comes from the same file as the target. */
const copyEntryPosition = (target: object, from: object, key: string | number, targetKey: string | number = key): void => {
  const to = sourcePositions.get(target)
  const source = sourcePositions.get(from)
  const entry = source?.entries.get(key)
  if (to !== undefined && source !== undefined && entry !== undefined && to.file === source.file) {
    to.entries.set(targetKey, entry)
  }
}

/** `local + merged`, keeping the positions of both parts where known. */
const concatLists = (local: ReadonlyArray<unknown>, merged: ReadonlyArray<unknown>): Array<unknown> => {
  const result = [...local, ...merged]
  const source = sourcePositions.get(local)
  if (source !== undefined) {
    const own: NodeSource = { ...source, entries: new Map(source.entries) }
    sourcePositions.set(result, own)
    merged.forEach((_, i) => copyEntryPosition(result, merged, i, local.length + i))
  }
  if (noMerge.has(local)) noMerge.add(result)
  return result
}

/** Merge `from` into `target` in place; `target`'s existing values win. */
export const mergeInto = (target: Dict, from: Dict, mode: MergeMode): void => {
  for (const [key, incoming] of Object.entries(from)) {
    if (!Object.hasOwn(target, key)) {
      setKey(target, key, incoming)
      copyEntryPosition(target, from, key)
      continue
    }
    if (mode === "<<") continue
    const local = target[key]
    if (local !== null && typeof local === "object" && noMerge.has(local)) continue
    if (isPlainObject(local) && isPlainObject(incoming)) mergeInto(local, incoming, mode)
    else if (Array.isArray(local) && Array.isArray(incoming)) setKey(target, key, concatLists(local, incoming))
  }
}

/** The value of a merge key as one dict: a list is folded left to right, earlier wins. */
const mergedDict = (value: unknown, mode: MergeMode): Dict => {
  if (isPlainObject(value)) return deepCopy(value)
  if (!Array.isArray(value)) {
    throw new Error(`the value of '${mode}' must be a mapping or a list of mappings, got ${describe(value)}`)
  }
  const folded: Dict = {}
  for (const item of value) {
    if (!isPlainObject(item)) {
      throw new Error(`every item of a '${mode}' list must be a mapping, got ${describe(item)}`)
    }
    mergeInto(folded, deepCopy(item), mode)
  }
  return folded
}

const describe = (u: unknown): string =>
  u === null ? "null" : Array.isArray(u) ? "a list" : typeof u === "object" ? "an object" : `${typeof u} ${JSON.stringify(u)}`

/** Apply the merge key of one mapping, if it has one. */
const mergeMapping = (dict: Dict): void => {
  const keys = (["<<", "<<<"] as const).filter((k) => Object.hasOwn(dict, k))
  if (keys.length > 1) throw new Error("a mapping can have only one merge key ('<<' or '<<<')")
  const mode = keys[0]
  if (mode === undefined) return
  const value = dict[mode]
  delete dict[mode]
  sourcePositions.get(dict)?.entries.delete(mode)
  mergeInto(dict, mergedDict(value, mode), mode)
}

/**
 * Apply every merge key under `root`, innermost mappings first. Throws a plain `Error`
 * with the position of the offending mapping when it is known.
 */
export const applyMerges = (root: unknown): unknown => {
  const seen = new WeakSet<object>()
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== "object" || seen.has(value)) return
    seen.add(value)
    if (Array.isArray(value)) {
      value.forEach(visit)
    } else if (isPlainObject(value)) {
      Object.values(value).forEach(visit)
      try {
        mergeMapping(value)
      } catch (e) {
        throw new MergeError(e instanceof Error ? e.message : String(e), sourcePositions.get(value))
      }
    }
  }
  visit(root)
  return root
}

/** A malformed merge key, with where the mapping was written. */
export class MergeError extends Error {
  readonly source: NodeSource | undefined
  constructor(message: string, source: NodeSource | undefined) {
    super(message)
    this.source = source
  }
}
