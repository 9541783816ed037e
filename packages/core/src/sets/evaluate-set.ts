/** Evaluating a set expression (AccelForge §4.1). */
import * as Result from "effect/Result"
import { describeValue, evaluateExpression, ExpressionFailure } from "../expr/index.ts"
import { type SetKind, SymbolSet } from "./symbol-set.ts"
import { symbolScope, type SymbolTable } from "./symbol-table.ts"

/** The kind of set a field needs; `"any"` accepts both (rename sources). */
export type ExpectedSetKind = SetKind | "any"

const CALL_OF_NAME = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(\s*\)\s*$/

const KIND_TEXT: Record<SetKind, string> = { tensor: "a set of tensors", rankVariable: "a set of rank variables" }

const check = (source: string, value: unknown, table: SymbolTable, expected: ExpectedSetKind): Result.Result<SymbolSet, ExpressionFailure> => {
  if (value instanceof SymbolSet) {
    if (expected === "any" || value.kind === expected) return Result.succeed(value)
    // An empty set fits either kind (e.g. `Nothing` where rank variables are expected).
    if (value.isEmpty) return Result.succeed(SymbolSet.empty(expected, table.context))
    return Result.fail(new ExpressionFailure({ expression: source, reason: `expected ${KIND_TEXT[expected]}, got ${KIND_TEXT[value.kind]} ${value.toString()}` }))
  }
  const what = expected === "any" ? "a set of tensors or rank variables" : KIND_TEXT[expected]
  return Result.fail(new ExpressionFailure({ expression: source, reason: `expected ${what}, got ${describeValue(value)}` }))
}

/**
 * Evaluate `source` against `table`: a whole-string symbol is that symbol; `name()` calls the
 * symbol; anything else is evaluated as an expression (built-ins available, symbols first). The
 * result must be a set of the expected kind; an empty set is accepted for either kind.
 */
export const evaluateSetExpression = (
  source: string,
  table: SymbolTable,
  expected: ExpectedSetKind
): Result.Result<SymbolSet, ExpressionFailure> => {
  const trimmed = source.trim()
  const direct = table.symbols.get(trimmed)
  if (direct !== undefined) return check(source, direct, table, expected)
  const call = CALL_OF_NAME.exec(source)
  if (call !== null) {
    const callee = table.symbols.get(call[1]!)
    if (callee instanceof SymbolSet) return check(source, callee, table, expected)
  }
  const result = evaluateExpression(source, symbolScope(table))
  if (Result.isFailure(result)) return Result.fail(result.failure)
  return check(source, result.success, table, expected)
}
