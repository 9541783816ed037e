/**
 * Raw document -> validated `Spec`, with Schema issues turned into EvaluationErrors that
 * name the field path, the file and the line.
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import { EvaluationError } from "../errors.ts"
import { positionAt, TAG_KEY, textOf } from "../loader/raw.ts"
import { ARCH_NODE_TAGS } from "./arch.ts"
import { MAPPING_NODE_TAGS } from "./mapping.ts"
import { Spec } from "./spec.ts"

type PathSegment = string | number

/** The path of an issue as segments of the raw document. */
const issuePath = (path: ReadonlyArray<PropertyKey> | undefined): ReadonlyArray<PathSegment> =>
  (path ?? []).map((p) => (typeof p === "number" ? p : String(p)))

/** Names list items by their `name` where they have one (AccelForge's error paths). */
const readablePath = (root: unknown, path: ReadonlyArray<PathSegment>): ReadonlyArray<string> => {
  const out: Array<string> = []
  let node: unknown = root
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === "number") {
      const item: unknown = node[segment]
      const name = item !== null && typeof item === "object" ? textOf((item as Record<string, unknown>)["name"]) : undefined
      out.push(name ?? String(segment))
      node = item
    } else {
      out.push(String(segment))
      node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[String(segment)] : undefined
    }
  }
  return out
}

const valueAt = (root: unknown, path: ReadonlyArray<PathSegment>): unknown =>
  path.reduce<unknown>((node, s) => (node !== null && typeof node === "object" ? (node as Record<PathSegment, unknown>)[s] : undefined), root)

const describeExpectedTag = (value: unknown, path: ReadonlyArray<PathSegment>): string | undefined => {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined
  const tag = (value as Record<string, unknown>)[TAG_KEY]
  // A mapping decoded on its own (evaluate --mapping) has paths from its `nodes`.
  const inMapping = path.includes("mapping") || path[0] === "nodes"
  const allowed: ReadonlyArray<string> = inMapping ? MAPPING_NODE_TAGS : ARCH_NODE_TAGS
  const section = inMapping ? "mapping" : "arch"
  if (tag === undefined) return `${/^[aeiou]/i.test(section) ? "an" : "a"} ${section} node needs a YAML tag: one of ${allowed.map((t) => `!${t}`).join(", ")}`
  if (typeof tag === "string" && !allowed.includes(tag)) {
    const near = closest(tag, allowed)
    return `unknown ${section} node tag !${tag}${near === undefined ? "" : ` (did you mean !${near}?)`}; expected one of ${allowed.map((t) => `!${t}`).join(", ")}`
  }
  return undefined
}

/** Edit distance, for "did you mean". */
const distance = (a: string, b: string): number => {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1))
    }
    row = next
  }
  return row[b.length]!
}

/** The allowed name nearest to a typo, if it is near enough to be the one meant. */
const closest = (typo: string, allowed: ReadonlyArray<string>): string | undefined => {
  const [best] = [...allowed].sort((x, y) => distance(typo, x) - distance(typo, y))
  return best !== undefined && distance(typo, best) <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined
}

/** A value as a user would name it. */
const describeValue = (value: unknown): string => {
  if (value === null || value === undefined) return "nothing (an empty value)"
  if (Array.isArray(value)) return "a list"
  if (typeof value === "object") return textOf(value) !== undefined ? `the text ${JSON.stringify(textOf(value))}` : "a mapping"
  if (typeof value === "number") return Number.isNaN(value) ? "nan" : Number.isFinite(value) ? String(value) : value > 0 ? "inf" : "-inf"
  return typeof value === "string" ? `the text ${JSON.stringify(value)}` : String(value)
}

/** "Expected a string" → "a string"; the Schema's name for an expression field → words. */
const expectedThing = (message: string): string | undefined => {
  if (message === "Expected <Declaration>") return "an expression"
  const m = /^Expected (an? [a-z ]+|true|false|null)$/.exec(message)
  // Where the spec accepts a string, it is an expression to evaluate.
  return m?.[1] === "a string" ? "an expression" : m?.[1]
}

const rewordMessage = (message: string, root: unknown, path: ReadonlyArray<PathSegment>): string => {
  if (message === "Expected <Declaration>") {
    return `expected a single value (a number, true or false, or an expression), got ${describeValue(valueAt(root, path))}`
  }
  if (message.startsWith("Expected no excess property") || message.startsWith("Unexpected key")) {
    const field = path[path.length - 1]
    return `unknown field '${String(field)}'`
  }
  if (message.startsWith("Missing key")) return `missing required field '${String(path[path.length - 1])}'`
  const tagProblem = message.startsWith("Expected {") ? describeExpectedTag(valueAt(root, path), path) : undefined
  return tagProblem ?? message.replace(/\s+/g, " ")
}

/**
 * The alternatives of a union fail one by one ("Expected an integer", "Expected a string") at
 * the same path: say them as one sentence with the value that was given.
 */
const mergeAlternatives = (
  root: unknown,
  issues: ReadonlyArray<{ readonly message: string; readonly path?: ReadonlyArray<unknown> | undefined }>
) => {
  const byPath = new Map<string, Array<string>>()
  const keyOf = (i: { readonly path?: ReadonlyArray<unknown> | undefined }) =>
    JSON.stringify((i.path ?? []).map((p) => (typeof p === "object" && p !== null && "key" in p ? p.key : p)))
  for (const i of issues) {
    const things = byPath.get(keyOf(i)) ?? []
    const thing = expectedThing(i.message)
    if (thing !== undefined) things.push(thing)
    byPath.set(keyOf(i), things)
  }
  const done = new Set<string>()
  return issues.flatMap((i) => {
    const key = keyOf(i)
    const things = byPath.get(key)!
    if (things.length < 2 || expectedThing(i.message) === undefined) return [i]
    if (done.has(key)) return []
    done.add(key)
    const path = issuePath(i.path?.map((p) => (typeof p === "object" && p !== null && "key" in p ? p.key : p)) as ReadonlyArray<PropertyKey>)
    const given = describeValue(valueAt(root, path))
    return [{ ...i, message: `expected ${[...new Set(things)].join(" or ")}, got ${given}` }]
  })
}

/** Every Schema issue as one EvaluationError per problem (the first is the headline). */
export const issuesToErrors = (root: unknown, issue: SchemaIssue.Issue): ReadonlyArray<EvaluationError> => {
  const formatted = mergeAlternatives(root, SchemaIssue.makeFormatterStandardSchemaV1()(issue).issues)
  return formatted.map((i) => {
    const path = issuePath(i.path?.map((p) => (typeof p === "object" && p !== null && "key" in p ? p.key : p)) as ReadonlyArray<PropertyKey>)
    const position = positionAt(root, path)
    return new EvaluationError({
      path: [...readablePath(root, path)],
      reason: rewordMessage(i.message, root, path),
      ...(position === undefined ? {} : { file: position.file }),
      ...(position?.line === undefined ? {} : { line: position.line }),
      ...(position?.column === undefined ? {} : { column: position.column })
    })
  })
}

/** A single error summarising all problems: the first in full, then a count. */
export const combineErrors = (errors: ReadonlyArray<EvaluationError>): EvaluationError => {
  const first = errors[0]!
  if (errors.length === 1) return first
  const rest = errors.slice(1).map((e) => `  - ${e.path.join(".")}: ${e.reason}`).join("\n")
  return new EvaluationError({ ...first, path: [...first.path], reason: `${first.reason}\n(and ${errors.length - 1} more problem(s):\n${rest})` })
}

/** Validate a raw document against the Spec schema. */
export const decodeSpec = (raw: Record<string, unknown>): Result.Result<Spec, EvaluationError> => {
  const result = Schema.decodeUnknownResult(Spec)(raw, { errors: "all", onExcessProperty: "error" })
  if (Result.isSuccess(result)) return Result.succeed(result.success)
  return Result.fail(combineErrors(issuesToErrors(raw, result.failure.issue)))
}
