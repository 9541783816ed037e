/** Dicts whose keys are set expressions: `bits_per_value`, `values_per_action` (AccelForge §4.5). */
import * as Result from "effect/Result"
import { ExpressionFailure } from "../expr/index.ts"
import { evaluateSetExpression } from "./evaluate-set.ts"
import type { SymbolTable } from "./symbol-table.ts"
import { withSymbols } from "./symbol-table.ts"

const OTHER = /\bOther\b/

/**
 * Evaluate a set-keyed dict into `tensor → value`. Keys are tensor set expressions evaluated in
 * order, except the (at most one) key containing the word `Other`, which is evaluated last
 * with `Other` = `All` minus every tensor the other keys matched. Two keys matching the same
 * tensor is an error. Each entry's value is evaluated once, with `evaluateEntryValue`.
 */
export const evaluateSetKeyedDict = (
  entries: ReadonlyArray<readonly [string, unknown]>,
  table: SymbolTable,
  evaluateEntryValue: (raw: unknown) => Result.Result<number, ExpressionFailure>
): Result.Result<Map<string, number>, ExpressionFailure> => {
  const others = entries.filter(([k]) => OTHER.test(k))
  if (others.length > 1) {
    return Result.fail(new ExpressionFailure({
      expression: others.map(([k]) => k).join(", "),
      reason: `at most one key may use Other, found ${others.length}: ${others.map(([k]) => JSON.stringify(k)).join(", ")}`
    }))
  }
  const ordered = [...entries.filter(([k]) => !OTHER.test(k)), ...others]
  const out = new Map<string, number>()
  const matchedBy = new Map<string, string>()
  for (const [key, raw] of ordered) {
    const scope = OTHER.test(key)
      ? withSymbols(table, [["Other", table.all.difference(new Set(matchedBy.keys()))]])
      : table
    const set = evaluateSetExpression(key, scope, "tensor")
    if (Result.isFailure(set)) return Result.fail(set.failure)
    for (const t of set.success) {
      const earlier = matchedBy.get(t)
      if (earlier !== undefined) {
        return Result.fail(new ExpressionFailure({
          expression: key,
          reason: `keys must not overlap: ${JSON.stringify(earlier)} and ${JSON.stringify(key)} both match tensor ${t}`
        }))
      }
    }
    const value = evaluateEntryValue(raw)
    if (Result.isFailure(value)) return Result.fail(value.failure)
    for (const t of set.success) {
      matchedBy.set(t, key)
      out.set(t, value.success)
    }
  }
  return Result.succeed(out)
}
