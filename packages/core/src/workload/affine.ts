/**
 * Affine integer expressions over rank variables (`p1 + r0`, `p0*2 + r0`, `2*p`, `3`), as used
 * by projections and by ISL-style iteration-space constraints: a tokenizer, a parser into
 * coefficient maps, and interval arithmetic over variable boxes.
 */
import * as Result from "effect/Result"

/** `constant + Σ coefficient·variable`; terms in first-seen order, no zero coefficients. */
export interface AffineExpression {
  readonly terms: ReadonlyArray<AffineTerm>
  readonly constant: number
}

export interface AffineTerm {
  readonly variable: string
  readonly coefficient: number
}

/** A closed integer interval; bounds may be infinite. */
export interface Interval {
  readonly min: number
  readonly max: number
}

export type Token =
  | { readonly kind: "number"; readonly value: number; readonly text: string }
  | { readonly kind: "ident"; readonly text: string }
  | { readonly kind: "op"; readonly text: string }

/** Identifiers in projections and ISL strings. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

const TOKEN = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(<=|>=|==|!=|&&|\*\*|\/\/|[-+*/()<>=,:%&|\[\]{}]))/y

/** Splits `source` into tokens; fails on a character no token starts with. */
export const tokenize = (source: string): Result.Result<ReadonlyArray<Token>, string> => {
  const tokens: Array<Token> = []
  TOKEN.lastIndex = 0
  let position = 0
  while (position < source.length) {
    if (/^\s*$/.test(source.slice(position))) break
    TOKEN.lastIndex = position
    const match = TOKEN.exec(source)
    if (match === null) {
      return Result.fail(`unexpected character ${JSON.stringify(source.slice(position).trimStart()[0])} in ${JSON.stringify(source)}`)
    }
    position = TOKEN.lastIndex
    const [, number, ident, op] = match
    if (number !== undefined) tokens.push({ kind: "number", value: Number(number), text: number })
    else if (ident !== undefined) tokens.push({ kind: "ident", text: ident })
    else if (op !== undefined) tokens.push({ kind: "op", text: op })
  }
  return Result.succeed(tokens)
}

const affine = (terms: ReadonlyArray<AffineTerm>, constant: number): AffineExpression => ({
  terms: terms.filter((t) => t.coefficient !== 0),
  constant
})

export const constantExpression = (value: number): AffineExpression => ({ terms: [], constant: value })

/** a + k·b */
export const addScaled = (a: AffineExpression, b: AffineExpression, k: number): AffineExpression => {
  const terms = a.terms.map((t) => ({ ...t }))
  for (const t of b.terms) {
    const existing = terms.find((x) => x.variable === t.variable)
    if (existing === undefined) terms.push({ variable: t.variable, coefficient: k * t.coefficient })
    else existing.coefficient += k * t.coefficient
  }
  return affine(terms, a.constant + k * b.constant)
}

export const scale = (a: AffineExpression, k: number): AffineExpression =>
  affine(a.terms.map((t) => ({ variable: t.variable, coefficient: k * t.coefficient })), a.constant * k)

/**
 * Parses tokens `[start, end)` as one affine expression. Supported: integers, identifiers,
 * `+`, `-` (binary and unary), `*` when at least one side is constant, parentheses.
 */
export const parseAffineTokens = (
  tokens: ReadonlyArray<Token>,
  source: string
): Result.Result<AffineExpression, string> => {
  let i = 0
  const fail = (why: string): Result.Result<never, string> => Result.fail(`${why} in ${JSON.stringify(source)}`)
  const peek = (): Token | undefined => tokens[i]
  const isOp = (t: Token | undefined, text: string): boolean => t !== undefined && t.kind === "op" && t.text === text

  const parseSum = (): Result.Result<AffineExpression, string> => {
    const first = parseProduct()
    if (Result.isFailure(first)) return first
    let acc = first.success
    for (;;) {
      const t = peek()
      if (!isOp(t, "+") && !isOp(t, "-")) return Result.succeed(acc)
      i++
      const next = parseProduct()
      if (Result.isFailure(next)) return next
      acc = addScaled(acc, next.success, t !== undefined && t.text === "-" ? -1 : 1)
    }
  }
  const parseProduct = (): Result.Result<AffineExpression, string> => {
    const first = parseUnary()
    if (Result.isFailure(first)) return first
    let acc = first.success
    for (;;) {
      const t = peek()
      if (!isOp(t, "*")) return Result.succeed(acc)
      i++
      const next = parseUnary()
      if (Result.isFailure(next)) return next
      const right = next.success
      if (right.terms.length === 0) acc = scale(acc, right.constant)
      else if (acc.terms.length === 0) acc = scale(right, acc.constant)
      else return fail("a product of two rank variables is not affine")
    }
  }
  const parseUnary = (): Result.Result<AffineExpression, string> => {
    const t = peek()
    if (isOp(t, "-") || isOp(t, "+")) {
      i++
      const inner = parseUnary()
      if (Result.isFailure(inner)) return inner
      return Result.succeed(t !== undefined && t.text === "-" ? scale(inner.success, -1) : inner.success)
    }
    return parsePrimary()
  }
  const parsePrimary = (): Result.Result<AffineExpression, string> => {
    const t = peek()
    if (t === undefined) return fail("unexpected end of expression")
    i++
    if (t.kind === "number") {
      if (!Number.isInteger(t.value)) return fail(`only integer constants are supported, got ${t.text}`)
      return Result.succeed(constantExpression(t.value))
    }
    if (t.kind === "ident") return Result.succeed(affine([{ variable: t.text, coefficient: 1 }], 0))
    if (t.text === "(") {
      const inner = parseSum()
      if (Result.isFailure(inner)) return inner
      if (!isOp(peek(), ")")) return fail("missing ')'")
      i++
      return inner
    }
    return fail(`unexpected ${JSON.stringify(t.text)}`)
  }

  if (tokens.length === 0) return fail("empty expression")
  const result = parseSum()
  if (Result.isFailure(result)) return result
  const rest = tokens[i]
  if (rest !== undefined) {
    return fail(`unsupported ${JSON.stringify(rest.text)} (only affine expressions: integers, rank variables, +, -, * by a constant, parentheses)`)
  }
  return result
}

/** Parses a whole string as one affine expression. */
export const parseAffine = (source: string): Result.Result<AffineExpression, string> => {
  const tokens = tokenize(source)
  if (Result.isFailure(tokens)) return Result.fail(tokens.failure)
  return parseAffineTokens(tokens.success, source)
}

/** The variables of an expression, in first-seen order. */
export const variablesOf = (e: AffineExpression): ReadonlyArray<string> => e.terms.map((t) => t.variable)

/** min/max of `e` when each variable ranges over its interval (unknown variables: unbounded). */
export const intervalOf = (e: AffineExpression, box: (variable: string) => Interval | undefined): Interval => {
  let min = e.constant
  let max = e.constant
  for (const { variable, coefficient } of e.terms) {
    const range = box(variable) ?? { min: -Infinity, max: Infinity }
    if (coefficient > 0) {
      min += coefficient * range.min
      max += coefficient * range.max
    } else {
      min += coefficient * range.max
      max += coefficient * range.min
    }
  }
  return { min: min + 0, max: max + 0 } // no -0
}

/** Evaluates `e` at a point. */
export const evaluateAt = (e: AffineExpression, point: (variable: string) => number): number =>
  e.terms.reduce((sum, t) => sum + t.coefficient * point(t.variable), e.constant)

/** Human-readable form, e.g. `2*p0 + r0 - 1`. */
export const formatAffine = (e: AffineExpression): string => {
  const parts: Array<string> = []
  for (const { variable, coefficient } of e.terms) {
    const magnitude = Math.abs(coefficient)
    const body = magnitude === 1 ? variable : `${magnitude}*${variable}`
    parts.push(parts.length === 0 ? (coefficient < 0 ? `-${body}` : body) : `${coefficient < 0 ? "- " : "+ "}${body}`)
  }
  if (e.constant !== 0 || parts.length === 0) {
    parts.push(parts.length === 0 ? String(e.constant) : `${e.constant < 0 ? "- " : "+ "}${Math.abs(e.constant)}`)
  }
  return parts.join(" ")
}
