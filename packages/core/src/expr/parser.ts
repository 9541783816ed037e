/**
 * Recursive-descent parser for the Python-expression subset AccelForge specs use. Grammar
 * (lowest precedence first), as in Python:
 *
 *   expressions := expression ("," expression)* [","]            (a top-level tuple)
 *   expression  := or_test ["if" or_test "else" expression]
 *   or_test     := and_test ("or" and_test)*
 *   and_test    := not_test ("and" not_test)*
 *   not_test    := "not" not_test | comparison
 *   comparison  := bit_or (comp_op bit_or)*                         (chained)
 *   bit_or      := bit_xor ("|" bit_xor)*;  bit_xor := bit_and ("^" bit_and)*
 *   bit_and     := shift ("&" shift)*;      shift := arith (("<<"|">>") arith)*
 *   arith       := term (("+"|"-") term)*;  term := factor (("*"|"/"|"//"|"%") factor)*
 *   factor      := ("+"|"-"|"~") factor | power
 *   power       := primary ["**" factor]                           (right-associative)
 *   primary     := atom (call | subscript | "." name)*
 *   atom        := name | number | string+ | True | False | None | (…) | […]
 *
 * Not supported (a clear error): lambda, dict/set literals and comprehensions, slices,
 * starred arguments, f-strings, bytes, complex numbers, assignment expressions, `@`.
 */
import * as Result from "effect/Result"
import { type BinaryOperator, type CompareOperator, type ComprehensionClause, depth, type ExprNode, type Keyword, type Target } from "./ast.ts"
import { ExpressionFailure, Raise, raise } from "./errors.ts"
import { KEYWORDS, type Token, tokenize } from "./tokenizer.ts"

/** Longest accepted source text. */
export const MAX_SOURCE_LENGTH = 100_000
/** Deepest accepted nesting (parentheses, unary operators, right-hand sides of `**`, …). */
export const MAX_NESTING = 150
/** Tallest accepted syntax tree (long operator chains such as `1+1+…+1` nest to the left). */
export const MAX_TREE_DEPTH = 1000

const UNSUPPORTED_KEYWORDS: Readonly<Record<string, string>> = {
  lambda: "lambda expressions are not supported",
  await: "await is not supported",
  yield: "yield is not supported"
}

class Parser {
  private readonly tokens: ReadonlyArray<Token>
  private index = 0
  private depth = 0

  constructor(tokens: ReadonlyArray<Token>) {
    this.tokens = tokens
  }

  private get current(): Token {
    return this.tokens[this.index]!
  }

  private peek(offset: number): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!
  }

  private isOp(value: string, t: Token = this.current): boolean {
    return t.type === "op" && t.value === value
  }

  private isKeyword(value: string, t: Token = this.current): boolean {
    return t.type === "name" && t.value === value
  }

  private describe(t: Token): string {
    switch (t.type) {
      case "end":
        return "end of expression"
      case "number":
        return `number ${t.value}`
      case "string":
        return "string literal"
      default:
        return `'${t.value}'`
    }
  }

  private fail(message?: string): never {
    const t = this.current
    if (message !== undefined) return raise(`${message} (at position ${t.pos})`)
    if (t.type === "name" && UNSUPPORTED_KEYWORDS[t.value] !== undefined) {
      return raise(`${UNSUPPORTED_KEYWORDS[t.value]} (at position ${t.pos})`)
    }
    if (t.type === "op" && t.value === "=") return raise(`invalid syntax: assignment is not allowed in an expression (at position ${t.pos}); did you mean '=='?`)
    if (t.type === "op" && t.value === ":=") return raise(`assignment expressions are not supported (at position ${t.pos})`)
    return raise(`invalid syntax: unexpected ${this.describe(t)} (at position ${t.pos})`)
  }

  private advance(): Token {
    const t = this.current
    if (t.type !== "end") this.index++
    return t
  }

  private expectOp(value: string): void {
    if (!this.isOp(value)) this.fail(`invalid syntax: expected '${value}' but found ${this.describe(this.current)}`)
    this.advance()
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING) this.fail(`expression is nested too deeply (more than ${MAX_NESTING} levels)`)
  }

  private leave(): void {
    this.depth--
  }

  parseTop(): ExprNode {
    const first = this.parseExpression()
    let node: ExprNode = first
    if (this.isOp(",")) {
      const elts = [first]
      while (this.isOp(",")) {
        this.advance()
        if (this.current.type === "end") break
        elts.push(this.parseExpression())
      }
      node = { kind: "Tuple", elts }
    }
    if (this.current.type !== "end") this.fail()
    if (depth(node) > MAX_TREE_DEPTH) raise(`expression is nested too deeply (its syntax tree is more than ${MAX_TREE_DEPTH} levels deep)`)
    return node
  }

  private parseExpression(): ExprNode {
    this.enter()
    const body = this.parseOrTest()
    let node = body
    if (this.isKeyword("if")) {
      this.advance()
      const test = this.parseOrTest()
      if (!this.isKeyword("else")) this.fail("invalid syntax: expected 'else' after 'if' condition")
      this.advance()
      const orelse = this.parseExpression()
      node = { kind: "IfExp", test, body, orelse }
    }
    this.leave()
    return node
  }

  private parseOrTest(): ExprNode {
    const first = this.parseAndTest()
    if (!this.isKeyword("or")) return first
    const values = [first]
    while (this.isKeyword("or")) {
      this.advance()
      values.push(this.parseAndTest())
    }
    return { kind: "BoolOp", op: "or", values }
  }

  private parseAndTest(): ExprNode {
    const first = this.parseNotTest()
    if (!this.isKeyword("and")) return first
    const values = [first]
    while (this.isKeyword("and")) {
      this.advance()
      values.push(this.parseNotTest())
    }
    return { kind: "BoolOp", op: "and", values }
  }

  private parseNotTest(): ExprNode {
    if (this.isKeyword("not")) {
      this.enter()
      this.advance()
      const operand = this.parseNotTest()
      this.leave()
      return { kind: "Unary", op: "not", operand }
    }
    return this.parseComparison()
  }

  private compareOperator(): CompareOperator | undefined {
    const t = this.current
    if (t.type === "op") {
      switch (t.value) {
        case "<":
        case "<=":
        case ">":
        case ">=":
        case "==":
        case "!=":
          return t.value
      }
      return undefined
    }
    if (this.isKeyword("in")) return "in"
    if (this.isKeyword("is")) return this.isKeyword("not", this.peek(1)) ? "is not" : "is"
    if (this.isKeyword("not") && this.isKeyword("in", this.peek(1))) return "not in"
    return undefined
  }

  private parseComparison(): ExprNode {
    const left = this.parseBinary(0)
    let op = this.compareOperator()
    if (op === undefined) return left
    const ops: Array<CompareOperator> = []
    const comparators: Array<ExprNode> = []
    while (op !== undefined) {
      this.advance()
      if (op === "is not" || op === "not in") this.advance()
      ops.push(op)
      comparators.push(this.parseBinary(0))
      op = this.compareOperator()
    }
    return { kind: "Compare", left, ops, comparators }
  }

  private static readonly LEVELS: ReadonlyArray<ReadonlyArray<BinaryOperator>> = [
    ["|"],
    ["^"],
    ["&"],
    ["<<", ">>"],
    ["+", "-"],
    ["*", "/", "//", "%"]
  ]

  private parseBinary(level: number): ExprNode {
    const ops = Parser.LEVELS[level]
    if (ops === undefined) return this.parseFactor()
    let left = this.parseBinary(level + 1)
    for (;;) {
      const t = this.current
      if (t.type === "op" && t.value === "@") this.fail("the '@' operator is not supported")
      const op = t.type === "op" ? ops.find((o) => o === t.value) : undefined
      if (op === undefined) return left
      this.advance()
      const right = this.parseBinary(level + 1)
      left = { kind: "Binary", op, left, right }
    }
  }

  private parseFactor(): ExprNode {
    const t = this.current
    if (t.type === "op" && (t.value === "-" || t.value === "+" || t.value === "~")) {
      this.enter()
      this.advance()
      const operand = this.parseFactor()
      this.leave()
      return { kind: "Unary", op: t.value, operand }
    }
    return this.parsePower()
  }

  private parsePower(): ExprNode {
    const base = this.parsePrimary()
    if (!this.isOp("**")) return base
    this.enter()
    this.advance()
    const exponent = this.parseFactor()
    this.leave()
    return { kind: "Binary", op: "**", left: base, right: exponent }
  }

  private parsePrimary(): ExprNode {
    let node = this.parseAtom()
    for (;;) {
      if (this.isOp("(")) {
        node = this.parseCall(node)
      } else if (this.isOp("[")) {
        this.advance()
        if (this.isOp("]")) this.fail("invalid syntax: empty subscript")
        const first = this.parseSubscriptPart()
        let index: ExprNode = first
        if (this.isOp(",")) {
          const elts = [first]
          while (this.isOp(",")) {
            this.advance()
            if (this.isOp("]")) break
            elts.push(this.parseSubscriptPart())
          }
          index = { kind: "Tuple", elts }
        }
        this.expectOp("]")
        node = { kind: "Subscript", value: node, index }
      } else if (this.isOp(".")) {
        this.advance()
        const t = this.current
        if (t.type !== "name" || KEYWORDS.has(t.value)) this.fail("invalid syntax: expected an attribute name after '.'")
        this.advance()
        node = { kind: "Attribute", value: node, attr: t.value as string }
      } else {
        return node
      }
    }
  }

  private parseSubscriptPart(): ExprNode {
    if (this.isOp(":")) this.fail("slices are not supported")
    const e = this.parseExpression()
    if (this.isOp(":")) this.fail("slices are not supported")
    return e
  }

  private parseCall(func: ExprNode): ExprNode {
    this.enter()
    this.advance() // (
    const args: Array<ExprNode> = []
    const keywords: Array<Keyword> = []
    while (!this.isOp(")")) {
      if (this.isOp("*") || this.isOp("**")) this.fail("starred arguments are not supported")
      const t = this.current
      if (t.type === "name" && !KEYWORDS.has(t.value) && this.isOp("=", this.peek(1))) {
        this.advance()
        this.advance()
        if (keywords.some((k) => k.name === t.value)) this.fail(`keyword argument repeated: ${t.value}`)
        keywords.push({ name: t.value, value: this.parseExpression() })
      } else {
        if (keywords.length > 0) this.fail("positional argument follows keyword argument")
        const arg = this.parseExpression()
        if (this.isKeyword("for")) {
          const generators = this.parseClauses()
          if (args.length > 0 || !this.isOp(")")) this.fail("generator expression must be parenthesized")
          args.push({ kind: "Comprehension", form: "generator", elt: arg, generators })
          break
        }
        args.push(arg)
      }
      if (!this.isOp(",")) break
      this.advance()
    }
    this.expectOp(")")
    this.leave()
    return { kind: "Call", func, args, keywords }
  }

  private parseTargetAtom(): Target {
    const t = this.current
    if (t.type === "name" && !KEYWORDS.has(t.value)) {
      this.advance()
      return { kind: "Name", id: t.value }
    }
    if (this.isOp("(") || this.isOp("[")) {
      const close = this.isOp("(") ? ")" : "]"
      this.enter()
      this.advance()
      const inner = this.parseTargetList(close)
      this.expectOp(close)
      this.leave()
      return inner
    }
    return this.fail("invalid syntax: expected a name after 'for'")
  }

  private parseTargetList(close: string | undefined): Target {
    const first = this.parseTargetAtom()
    if (!this.isOp(",")) return first
    const elts = [first]
    while (this.isOp(",")) {
      this.advance()
      if (this.isKeyword("in") || (close !== undefined && this.isOp(close))) break
      elts.push(this.parseTargetAtom())
    }
    return { kind: "Tuple", elts }
  }

  private parseClauses(): ReadonlyArray<ComprehensionClause> {
    const clauses: Array<ComprehensionClause> = []
    while (this.isKeyword("for")) {
      this.advance()
      const target = this.parseTargetList(undefined)
      if (!this.isKeyword("in")) this.fail("invalid syntax: expected 'in' in comprehension")
      this.advance()
      const iter = this.parseOrTest()
      const ifs: Array<ExprNode> = []
      while (this.isKeyword("if")) {
        this.advance()
        ifs.push(this.parseOrTest())
      }
      clauses.push({ target, iter, ifs })
    }
    return clauses
  }

  private parseSequence(close: ")" | "]"): ExprNode {
    this.enter()
    this.advance() // ( or [
    const form = close === ")" ? "generator" : "list"
    if (this.isOp(close)) {
      this.advance()
      this.leave()
      return { kind: close === ")" ? "Tuple" : "List", elts: [] }
    }
    const first = this.parseExpression()
    let node: ExprNode
    if (this.isKeyword("for")) {
      node = { kind: "Comprehension", form, elt: first, generators: this.parseClauses() }
    } else if (this.isOp(",")) {
      const elts = [first]
      while (this.isOp(",")) {
        this.advance()
        if (this.isOp(close)) break
        elts.push(this.parseExpression())
      }
      node = { kind: close === ")" ? "Tuple" : "List", elts }
    } else {
      node = close === ")" ? first : { kind: "List", elts: [first] }
    }
    this.expectOp(close)
    this.leave()
    return node
  }

  private parseAtom(): ExprNode {
    const t = this.current
    switch (t.type) {
      case "number":
        this.advance()
        return { kind: "Constant", value: t.value }
      case "string": {
        let value = ""
        while (this.current.type === "string") value += (this.advance() as { value: string }).value
        return { kind: "Constant", value }
      }
      case "name":
        if (t.value === "True" || t.value === "False" || t.value === "None") {
          this.advance()
          return { kind: "Constant", value: t.value === "None" ? null : t.value === "True" }
        }
        if (KEYWORDS.has(t.value)) return this.fail()
        this.advance()
        return { kind: "Name", id: t.value }
      case "op":
        if (t.value === "(") return this.parseSequence(")")
        if (t.value === "[") return this.parseSequence("]")
        if (t.value === "{") return this.fail("dict and set literals are not supported")
        if (t.value === "...") return this.fail("Ellipsis is not supported")
        return this.fail()
      case "end":
        return this.fail("invalid syntax: unexpected end of expression")
    }
  }
}

const CACHE_LIMIT = 10_000
const cache = new Map<string, Result.Result<ExprNode, ExpressionFailure>>()

const parseUncached = (source: string): Result.Result<ExprNode, ExpressionFailure> => {
  if (source.length > MAX_SOURCE_LENGTH) {
    return Result.fail(new ExpressionFailure({ expression: source.slice(0, 200) + "…", reason: `expression is too long (more than ${MAX_SOURCE_LENGTH} characters)` }))
  }
  try {
    return Result.succeed(new Parser(tokenize(source)).parseTop())
  } catch (e) {
    const reason = e instanceof Raise ? e.reason : `internal parser error: ${e instanceof Error ? e.message : String(e)}`
    return Result.fail(new ExpressionFailure({ expression: source, reason }))
  }
}

/**
 * Parse one expression. Results (including failures) are cached by source text, since the same
 * expressions are evaluated again for every Einsum. Never throws.
 */
export const parseExpression = (source: string): Result.Result<ExprNode, ExpressionFailure> => {
  const hit = cache.get(source)
  if (hit !== undefined) return hit
  const result = parseUncached(source)
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(source, result)
  return result
}
