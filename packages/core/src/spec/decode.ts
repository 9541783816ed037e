/**
 * Raw document -> validated `Spec`, with Schema issues turned into EvaluationErrors that
 * name the field path, the file and the line.
 */
import { Result, Schema, SchemaIssue } from "effect"
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
  const inMapping = path.includes("mapping")
  const allowed: ReadonlyArray<string> = inMapping ? MAPPING_NODE_TAGS : ARCH_NODE_TAGS
  if (tag === undefined) return `a node needs a YAML tag: one of ${allowed.map((t) => `!${t}`).join(", ")}`
  if (typeof tag === "string" && !allowed.includes(tag)) {
    return `unknown node tag !${tag}; expected one of ${allowed.map((t) => `!${t}`).join(", ")}`
  }
  return undefined
}

const rewordMessage = (message: string, root: unknown, path: ReadonlyArray<PathSegment>): string => {
  if (message.startsWith("Expected no excess property") || message.startsWith("Unexpected key")) {
    const field = path[path.length - 1]
    return `unknown field '${String(field)}'`
  }
  if (message.startsWith("Missing key")) return `missing required field '${String(path[path.length - 1])}'`
  const tagProblem = message.startsWith("Expected {") ? describeExpectedTag(valueAt(root, path), path) : undefined
  return tagProblem ?? message.replace(/\s+/g, " ")
}

/** Every Schema issue as one EvaluationError per problem (the first is the headline). */
export const issuesToErrors = (root: unknown, issue: SchemaIssue.Issue): ReadonlyArray<EvaluationError> => {
  const formatted = SchemaIssue.makeFormatterStandardSchemaV1()(issue).issues
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
