/**
 * The concise Einsum forms (§3.2 forms 2 and 3): the string `Out[b, m] = A[b, k] * W[k, m]` and
 * the dict `{einsum: "...", tensor_accesses: [{name, <extra fields>}], renames, ...}`. Both are
 * turned into the raw verbose form (`{name, tensor_accesses: [{name, projection, output}], ...}`),
 * which the `Einsum` schema then decodes like any hand-written Einsum.
 */
import * as Result from "effect/Result"
import { textOf } from "../loader/raw.ts"
import { IDENTIFIER } from "./affine.ts"

export interface ParsedAccess {
  readonly name: string
  /** Dict form, ranks in written order. */
  readonly projection: { readonly [rank: string]: string }
  readonly output: boolean
}

export interface ParsedEinsumString {
  /** The output tensor's name, which is also the Einsum's name. */
  readonly name: string
  /** Inputs in written order (a repeated tensor keeps its first position and its last projection), then the output. */
  readonly accesses: ReadonlyArray<ParsedAccess>
}

const NAME = "[A-Za-z_]\\w*"
const LHS = new RegExp(`^(${NAME})\\[([^\\[\\]]*)\\]$`)
const RHS_ACCESS = new RegExp(`(${NAME})\\[([^\\[\\]]*)\\]`, "g")

/** Parses a projection list such as `b,P:p,h,e` (whitespace already removed). */
export const parseProjectionParts = (text: string): Result.Result<{ readonly [rank: string]: string }, string> => {
  const out: Record<string, string> = {}
  if (text === "") return Result.succeed(out)
  for (const part of text.split(",")) {
    let rank: string
    let expression: string
    const colon = part.indexOf(":")
    if (colon >= 0) {
      rank = part.slice(0, colon)
      expression = part.slice(colon + 1)
      if (!IDENTIFIER.test(rank) || /^[a-z]/.test(rank)) {
        return Result.fail(`${JSON.stringify(rank)} in ${JSON.stringify(part)} must be a rank name that doesn't start with a lowercase letter`)
      }
      if (expression === "") return Result.fail(`rank ${rank} has an empty expression`)
    } else {
      if (!IDENTIFIER.test(part) || !/^[a-z]/.test(part)) {
        return Result.fail(
          `${JSON.stringify(part)} must be a lowercase rank variable, or written as Rank:expression`
        )
      }
      rank = part.toUpperCase()
      expression = part
    }
    if (Object.hasOwn(out, rank)) return Result.fail(`rank ${rank} appears twice`)
    out[rank] = expression
  }
  return Result.succeed(out)
}

/** Parses `Name[proj] = RHS`; the operators and functions of the RHS are ignored. */
export const parseEinsumString = (source: string): Result.Result<ParsedEinsumString, string> => {
  const text = source.replace(/\s+/g, "")
  const quoted = JSON.stringify(source)
  const sides = text.split("=")
  if (sides.length !== 2) return Result.fail(`Einsum string ${quoted} must contain exactly one '='`)
  const [lhs = "", rhs = ""] = sides
  const left = LHS.exec(lhs)
  if (left === null) return Result.fail(`left-hand side of ${quoted} must be Name[ranks]`)
  const [, outputName = "", outputProjection = ""] = left
  const output = parseProjectionParts(outputProjection)
  if (Result.isFailure(output)) return Result.fail(`${outputName} in ${quoted}: ${output.failure}`)

  const inputs = new Map<string, ParsedAccess>()
  for (const match of rhs.matchAll(RHS_ACCESS)) {
    const [, name = "", projectionText = ""] = match
    const projection = parseProjectionParts(projectionText)
    if (Result.isFailure(projection)) return Result.fail(`${name} in ${quoted}: ${projection.failure}`)
    inputs.set(name, { name, projection: projection.success, output: false })
  }
  if (inputs.size === 0) return Result.fail(`Einsum string ${quoted} has no input tensors`)
  if (inputs.has(outputName)) return Result.fail(`output tensor ${outputName} of ${quoted} also appears as an input`)
  return Result.succeed({
    name: outputName,
    accesses: [...inputs.values(), { name: outputName, projection: output.success, output: true }]
  })
}

/** A failure while expanding a concise Einsum, with the path inside the entry. */
export interface EinsumFormIssue {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

const issue = (path: ReadonlyArray<string | number>, message: string): Result.Result<never, EinsumFormIssue> =>
  Result.fail({ path, message })

const rawAccess = (a: ParsedAccess): Record<string, unknown> =>
  a.output ? { name: a.name, projection: { ...a.projection }, output: true } : { name: a.name, projection: { ...a.projection } }

/** The raw verbose Einsum for a string entry. */
export const expandEinsumString = (source: string): Result.Result<Record<string, unknown>, EinsumFormIssue> => {
  const parsed = parseEinsumString(source)
  if (Result.isFailure(parsed)) return issue([], parsed.failure)
  return Result.succeed({ name: parsed.success.name, tensor_accesses: parsed.success.accesses.map(rawAccess) })
}

const FIXED_ACCESS_FIELDS = ["projection", "output"] as const

/**
 * The raw verbose Einsum for a `{einsum: "...", ...}` entry. Extra `tensor_accesses` entries are
 * merged into the parsed access of the same name (they may not re-set `projection`/`output`),
 * the name becomes the output tensor's, every other key is passed on for the Einsum schema to
 * check.
 */
export const expandEinsumDict = (
  entry: { readonly [key: string]: unknown }
): Result.Result<Record<string, unknown>, EinsumFormIssue> => {
  const source = textOf(entry["einsum"])
  if (source === undefined) return issue(["einsum"], "expected an Einsum string")
  const parsed = parseEinsumString(source)
  if (Result.isFailure(parsed)) return issue(["einsum"], parsed.failure)
  const accesses = parsed.success.accesses.map(rawAccess)
  const extras = entry["tensor_accesses"]
  if (extras !== undefined) {
    if (!Array.isArray(extras)) return issue(["tensor_accesses"], "expected a list of {name, <extra fields>}")
    for (const [index, extra] of (extras as ReadonlyArray<unknown>).entries()) {
      if (extra === null || typeof extra !== "object" || Array.isArray(extra)) {
        return issue(["tensor_accesses", index], "expected a mapping {name, <extra fields>}")
      }
      const fields = extra as { readonly [key: string]: unknown }
      const name = textOf(fields["name"])
      if (name === undefined) return issue(["tensor_accesses", index, "name"], "expected the name of a tensor of the Einsum string")
      const target = accesses.find((a) => a["name"] === name)
      if (target === undefined) {
        return issue(["tensor_accesses", index, "name"], `tensor ${name} does not appear in ${JSON.stringify(source)}`)
      }
      for (const key of FIXED_ACCESS_FIELDS) {
        if (Object.hasOwn(fields, key)) {
          return issue(["tensor_accesses", index, key], `${key} of ${name} is set by the Einsum string and can't be given again`)
        }
      }
      for (const [key, value] of Object.entries(fields)) if (key !== "name") target[key] = value
    }
  }
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(entry)) {
    if (key === "einsum" || key === "tensor_accesses" || key === "name") continue
    out[key] = value
  }
  return Result.succeed({ name: parsed.success.name, tensor_accesses: accesses, ...out })
}
