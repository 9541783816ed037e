/** The safe entry points: every function here returns a `Result` and never throws. */
import * as Result from "effect/Result"
import { isLiteralString } from "../loader/raw.ts"
import { ExpressionFailure, Raise } from "./errors.ts"
import { interpret, type Scope } from "./interpreter.ts"
import { parseFloatText } from "./numeric.ts"
import { parseExpression } from "./parser.ts"
import { repr } from "./values.ts"

const guard = <A>(expression: string, f: () => A): Result.Result<A, ExpressionFailure> => {
  try {
    return Result.succeed(f())
  } catch (e) {
    const reason = e instanceof Raise
      ? e.reason
      : e instanceof RangeError && /call stack/i.test(e.message)
      ? "RecursionError: the expression is too deeply nested"
      : `internal error: ${e instanceof Error ? e.message : String(e)}`
    return Result.fail(new ExpressionFailure({ expression, reason }))
  }
}

/** Parse (cached) and evaluate one expression in a scope. */
export const evaluateExpression = (source: string, scope: Scope): Result.Result<unknown, ExpressionFailure> => {
  const parsed = parseExpression(source)
  if (Result.isFailure(parsed)) return parsed
  return guard(source, () => interpret(parsed.success, scope))
}

const BOOLEAN_TEXT = /^(true|false)$/i
const INT_LITERAL = /^\s*[+-]?\d+\s*$/
const FLOAT_LITERAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/

/**
 * Evaluate one field value the way AccelForge does (§5.2, steps 0–5):
 *
 * 0. a `LiteralString` (a quoted YAML scalar) → its string, never evaluated;
 * 1. a string equal to `true`/`false` in any letter case → a boolean; a string that is a plain
 *    int or float literal (`10`, `-3`, `2.5`, `1e-12`) → that number;
 * 2. any other non-string (number, boolean, null, array, object) → itself;
 * 4. a string that is a bound name in `scope` → its value;
 * 5. otherwise the string is evaluated as an expression.
 *
 * (AccelForge's step 1 would also turn an integral float into an int; numbers are not split into
 * ints and floats here, so that is a no-op.)
 */
export const evaluateValue = (raw: unknown, scope: Scope): Result.Result<unknown, ExpressionFailure> => {
  if (isLiteralString(raw)) return Result.succeed(raw.value)
  if (typeof raw !== "string") return Result.succeed(raw)
  if (BOOLEAN_TEXT.test(raw)) return Result.succeed(raw.toLowerCase() === "true")
  if (INT_LITERAL.test(raw) || FLOAT_LITERAL.test(raw)) {
    const n = parseFloatText(raw)
    if (n !== undefined) return Result.succeed(n)
  }
  const bound = guard(raw, () => scope(raw))
  if (Result.isFailure(bound)) return bound
  if (bound.success !== undefined) return Result.succeed(isLiteralString(bound.success) ? bound.success.value : bound.success)
  return evaluateExpression(raw, scope)
}

/** Python-like description of a value for messages: `'abc'`, `3`, `None`, `[1, 2]`. */
export const describeValue = (u: unknown): string => {
  try {
    return repr(u)
  } catch {
    return String(u)
  }
}

const typeFailure = (what: string, value: unknown): Result.Result<never, ExpressionFailure> =>
  Result.fail(new ExpressionFailure({ expression: describeValue(value), reason: `expected ${what}, got ${describeValue(value)}` }))

/** A number (int or float, including inf and nan). Booleans are rejected. */
export const expectNumber = (value: unknown): Result.Result<number, ExpressionFailure> =>
  typeof value === "number" ? Result.succeed(value) : typeFailure("a number", value)

/**
 * An integer. Any integral JS number passes, including one computed by `/` (e.g. `4/2`):
 * a documented leniency, since Python would reject the float `2.0`.
 */
export const expectInt = (value: unknown): Result.Result<number, ExpressionFailure> =>
  typeof value === "number" && Number.isInteger(value) ? Result.succeed(value) : typeFailure("an integer", value)

/** A boolean (`True`/`False`); numbers are not accepted. */
export const expectBoolean = (value: unknown): Result.Result<boolean, ExpressionFailure> =>
  typeof value === "boolean" ? Result.succeed(value) : typeFailure("a boolean", value)

/** A scope over the own properties of a record (never its prototype). */
export const scopeFromRecord = (record: Readonly<Record<string, unknown>>): Scope => (name) =>
  Object.hasOwn(record, name) ? record[name] : undefined

/** A scope over a Map. */
export const scopeFromMap = (map: ReadonlyMap<string, unknown>): Scope => (name) => map.get(name)

/** Layered scopes: the first scope that binds the name wins. */
export const layeredScope = (...scopes: ReadonlyArray<Scope>): Scope => (name) => {
  for (const s of scopes) {
    const v = s(name)
    if (v !== undefined) return v
  }
  return undefined
}

/** The empty scope. */
export const emptyScope: Scope = () => undefined
