/**
 * Evaluating one field value for one Einsum (AccelForge §5.2), with the field path kept so
 * a failure says where it happened.
 */
import * as Result from "effect/Result"
import { evaluateValue } from "../expr/index.ts"
import { evaluateSetExpression, SymbolSet } from "../sets/index.ts"
import type { SymbolTable } from "../sets/index.ts"
import { isLiteralString, textOf } from "../loader/raw.ts"
import { fail, type Path } from "./fail.ts"
import type { Scope } from "./scope.ts"
import type { SetField } from "./resolved.ts"
import { type NumberRange, outOfRange } from "../spec/number-range.ts"

const describe = (v: unknown): string =>
  v instanceof SymbolSet ? `set ${String(v)}` : typeof v === "string" ? `'${v}'` : JSON.stringify(v) ?? String(v)

/** An E field: must evaluate. */
export const evaluateField = (raw: unknown, scope: Scope, path: Path): unknown => {
  const result = evaluateValue(raw, scope.lookup)
  if (Result.isFailure(result)) return fail(path, result.failure.reason)
  return result.success
}

export const evaluateNumber = (raw: unknown, scope: Scope, path: Path): number => {
  const v = evaluateField(raw, scope, path)
  if (typeof v === "number") return v
  if (typeof v === "boolean") return v ? 1 : 0
  return fail(path, `expected a number, got ${describe(v)}${isLiteralString(raw) ? " (quoted strings are never evaluated; remove the quotes)" : ""}`)
}

export const evaluateInt = (raw: unknown, scope: Scope, path: Path): number => {
  const v = evaluateNumber(raw, scope, path)
  if (!Number.isInteger(v)) fail(path, `expected an integer, got ${v}`)
  return v
}

export const evaluateBoolean = (raw: unknown, scope: Scope, path: Path): boolean => {
  const v = evaluateField(raw, scope, path)
  if (typeof v === "boolean") return v
  if (typeof v === "number" && (v === 0 || v === 1)) return v === 1
  return fail(path, `expected true or false, got ${describe(v)}`)
}

export const optionalNumber = (raw: unknown, scope: Scope, path: Path): number | undefined =>
  raw === undefined || raw === null ? undefined : evaluateNumber(raw, scope, path)

/**
 * A set-valued TE field (`keep`, `reuse`, ...): evaluated against the Einsum's symbols; when
 * that fails (e.g. it names a memory, which only the mapper can resolve) the expression is
 * kept for later.
 */
export const evaluateSetField = (
  raw: unknown,
  symbols: SymbolTable,
  kind: "tensor" | "rankVariable",
  fallback: string
): SetField => {
  const source = raw === undefined || raw === null ? fallback : textOf(raw) ?? String(raw)
  const result = evaluateSetExpression(source, symbols, kind)
  return Result.isSuccess(result) ? { _tag: "Resolved", set: result.success } : { _tag: "Deferred", expression: source }
}

/** A set expression that must resolve now (renames, bits_per_value keys). */
export const requireSet = (source: string, symbols: SymbolTable, kind: "tensor" | "rankVariable", path: Path): SymbolSet => {
  const result = evaluateSetExpression(source, symbols, kind)
  if (Result.isFailure(result)) return fail(path, result.failure.reason)
  return result.success
}

/** `v` if it is in `range`; else a failure at `path`. */
export const inRange = (v: number, range: NumberRange, path: Path): number => {
  const problem = outOfRange(v, range)
  return problem === undefined ? v : fail(path, problem)
}

export const evaluateInRange = (raw: unknown, scope: Scope, path: Path, range: NumberRange): number =>
  inRange(evaluateNumber(raw, scope, path), range, path)

export const optionalInRange = (raw: unknown, scope: Scope, path: Path, range: NumberRange): number | undefined =>
  raw === undefined || raw === null ? undefined : evaluateInRange(raw, scope, path, range)
