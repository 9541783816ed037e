/**
 * Jinja's parser: tokens → syntax tree, following Jinja2's grammar and operator precedence
 * (conditional, `or`, `and`, `not`, comparisons and `in`, `+ -`, `~`, `* / // %`, `**`,
 * unary signs, then filters, tests, calls, attributes and subscripts). The statements are
 * the ones AccelForge specs use: `set`, `if`/`elif`/`else`, `for` (with `else` and a
 * filter), `include`, `raw` (in the lexer) and AccelForge's `{% assert cond, "message" %}`.
 * Anything else is a syntax error naming the tag. Nesting is bounded, so a hostile template
 * cannot exhaust the stack.
 */
import type { Args, At, Expr, Stmt, Target } from "./ast.ts"
import { TemplateError } from "./errors.ts"
import { type Token, tokenize } from "./lexer.ts"

/** Deep enough for any real template; `((((…))))` nested deeper is refused, not a crash. */
export const MAX_NESTING = 100

const COMPARE_OPS = new Set(["==", "!=", "<", ">", "<=", ">="])
const CONSTANTS: Record<string, null | boolean> = { True: true, true: true, False: false, false: false, None: null, none: null }
/** Names that end an argument-less test (`x is defined and …`). */
const NOT_A_TEST_ARGUMENT = new Set(["and", "or", "else", "if", "in", "is", "not"])

class Parser {
  private i = 0
  private depth = 0
  private readonly tokens: ReadonlyArray<Token>

  constructor(tokens: ReadonlyArray<Token>) {
    this.tokens = tokens
  }

  private get token(): Token {
    return this.tokens[this.i]!
  }

  private next(): Token {
    const t = this.tokens[this.i]!
    if (t.type !== "eof") this.i++
    return t
  }

  private error(message: string, at: At = this.token): TemplateError {
    return new TemplateError(message, at.line, at.column)
  }

  private describe(t: Token): string {
    if (t.type === "eof") return "the end of the template"
    if (t.type === "variable_end" || t.type === "block_end") return `'${t.value}'`
    if (t.type === "text") return "text"
    return `'${t.value}'`
  }

  private isOp(value: string): boolean {
    return this.token.type === "operator" && this.token.value === value
  }

  private isName(value: string): boolean {
    return this.token.type === "name" && this.token.value === value
  }

  private skipOp(value: string): boolean {
    if (!this.isOp(value)) return false
    this.next()
    return true
  }

  private skipName(value: string): boolean {
    if (!this.isName(value)) return false
    this.next()
    return true
  }

  private expectOp(value: string): Token {
    if (!this.isOp(value)) throw this.error(`expected '${value}', got ${this.describe(this.token)}`)
    return this.next()
  }

  private expectName(what = "a name"): Token {
    if (this.token.type !== "name") throw this.error(`expected ${what}, got ${this.describe(this.token)}`)
    return this.next()
  }

  private expectType(type: Token["type"], what: string): Token {
    if (this.token.type !== type) throw this.error(`expected ${what}, got ${this.describe(this.token)}`)
    return this.next()
  }

  private nested<A>(at: At, f: () => A): A {
    if (++this.depth > MAX_NESTING) throw this.error(`expressions or blocks nested more than ${MAX_NESTING} deep`, at)
    try {
      return f()
    } finally {
      this.depth--
    }
  }

  // ---- statements ----

  /** Statements until one of the `end` tags (left unread) or the end of the template. */
  parseBody(end: ReadonlyArray<string>): Array<Stmt> {
    const body: Array<Stmt> = []
    for (;;) {
      const t = this.token
      if (t.type === "eof") {
        if (end.length > 0) throw this.error(`missing {% ${end.join(" %} or {% ")} %}: the template ended first`)
        return body
      }
      if (t.type === "text") {
        this.next()
        body.push({ kind: "text", text: t.value, line: t.line, column: t.column })
      } else if (t.type === "variable_begin") {
        this.next()
        const expr = this.parseTupleOrExpression()
        this.expectType("variable_end", "'}}'")
        body.push({ kind: "output", expr, line: expr.line, column: expr.column })
      } else if (t.type === "block_begin") {
        const tag = this.tokens[this.i + 1]!
        if (tag.type === "name" && end.includes(tag.value)) return body
        this.next()
        body.push(this.nested(t, () => this.statement()))
      } else {
        throw this.error(`unexpected ${this.describe(t)}`)
      }
    }
  }

  private statement(): Stmt {
    const tag = this.expectName("a tag name after '{%'")
    switch (tag.value) {
      case "set":
        return this.parseSet(tag)
      case "if":
        return this.parseIf(tag)
      case "for":
        return this.parseFor(tag)
      case "assert":
        return this.parseAssert(tag)
      case "include":
        return this.parseInclude(tag)
      default:
        throw this.error(`unknown tag '${tag.value}' (supported: set, if, for, include, raw, assert)`, tag)
    }
  }

  private blockEnd(): void {
    this.expectType("block_end", "'%}'")
  }

  /** `{% name %}` closing a block. */
  private closeTag(name: string): void {
    this.expectType("block_begin", `{% ${name} %}`)
    const t = this.expectName()
    if (t.value !== name) throw this.error(`expected {% ${name} %}`, t)
    this.blockEnd()
  }

  private parseTarget(): Target {
    const names = [this.expectName("a variable name").value]
    while (this.skipOp(",")) {
      if (this.token.type !== "name") break
      names.push(this.next().value)
    }
    for (const n of names) {
      if (Object.hasOwn(CONSTANTS, n)) throw this.error(`cannot assign to '${n}'`)
    }
    return names
  }

  private parseSet(tag: Token): Stmt {
    const target = this.parseTarget()
    if (this.skipOp("=")) {
      const value = this.parseTupleOrExpression()
      this.blockEnd()
      return { kind: "set", target, value, line: tag.line, column: tag.column }
    }
    this.blockEnd()
    const body = this.parseBody(["endset"])
    this.closeTag("endset")
    return { kind: "setblock", target, body, line: tag.line, column: tag.column }
  }

  private parseIf(tag: Token): Stmt {
    const branches: Array<readonly [Expr, ReadonlyArray<Stmt>]> = []
    let test = this.parseTupleOrExpression()
    for (;;) {
      this.blockEnd()
      const body = this.parseBody(["elif", "else", "endif"])
      branches.push([test, body])
      this.next() // block_begin
      const which = this.next().value
      if (which === "elif") {
        test = this.parseTupleOrExpression()
        continue
      }
      let otherwise: ReadonlyArray<Stmt> = []
      if (which === "else") {
        this.blockEnd()
        otherwise = this.parseBody(["endif"])
        this.next()
        this.next()
      }
      this.blockEnd()
      return { kind: "if", branches, otherwise, line: tag.line, column: tag.column }
    }
  }

  private parseFor(tag: Token): Stmt {
    const target = this.parseTarget()
    if (!this.skipName("in")) throw this.error(`expected 'in' after the loop variable, got ${this.describe(this.token)}`)
    const iterable = this.parseTupleOrExpression(false)
    const filter = this.skipName("if") ? this.parseExpression() : null
    if (this.isName("recursive")) throw this.error("recursive loops are not supported")
    this.blockEnd()
    const body = this.parseBody(["else", "endfor"])
    let otherwise: ReadonlyArray<Stmt> = []
    this.next()
    if (this.next().value === "else") {
      this.blockEnd()
      otherwise = this.parseBody(["endfor"])
      this.next()
      this.next()
    }
    this.blockEnd()
    return { kind: "for", target, iterable, filter, body, otherwise, line: tag.line, column: tag.column }
  }

  private parseAssert(tag: Token): Stmt {
    const test = this.parseExpression()
    const message = this.skipOp(",") ? this.parseExpression() : null
    this.blockEnd()
    return { kind: "assert", test, message, line: tag.line, column: tag.column }
  }

  private parseInclude(tag: Token): Stmt {
    const template = this.parseExpression()
    let ignoreMissing = false
    if (this.isName("ignore")) {
      this.next()
      if (!this.skipName("missing")) throw this.error("expected 'missing' after 'ignore'")
      ignoreMissing = true
    }
    let withContext = true
    if (this.isName("with") || this.isName("without")) {
      withContext = this.next().value === "with"
      if (!this.skipName("context")) throw this.error("expected 'context'")
    }
    this.blockEnd()
    return { kind: "include", template, ignoreMissing, withContext, line: tag.line, column: tag.column }
  }

  // ---- expressions ----

  /** `a, b` without brackets is a tuple (we use lists for tuples). */
  parseTupleOrExpression(withCondexpr = true): Expr {
    const first = withCondexpr ? this.parseExpression() : this.parseOr()
    if (!this.isOp(",")) return first
    const items = [first]
    while (this.skipOp(",")) {
      if (this.token.type === "variable_end" || this.token.type === "block_end" || this.isName("if")) break
      items.push(withCondexpr ? this.parseExpression() : this.parseOr())
    }
    return { kind: "list", items, line: first.line, column: first.column }
  }

  parseExpression(): Expr {
    return this.nested(this.token, () => {
      let expr = this.parseOr()
      while (this.isName("if")) {
        this.next()
        const test = this.parseOr()
        const otherwise = this.skipName("else") ? this.parseExpression() : null
        expr = { kind: "condexpr", test, then: expr, otherwise, line: expr.line, column: expr.column }
      }
      return expr
    })
  }

  private parseOr(): Expr {
    let left = this.parseAnd()
    while (this.skipName("or")) left = { kind: "or", left, right: this.parseAnd(), line: left.line, column: left.column }
    return left
  }

  private parseAnd(): Expr {
    let left = this.parseNot()
    while (this.skipName("and")) left = { kind: "and", left, right: this.parseNot(), line: left.line, column: left.column }
    return left
  }

  private parseNot(): Expr {
    const at = this.token
    if (this.skipName("not")) {
      return this.nested(at, () => ({ kind: "unary", op: "not", operand: this.parseNot(), line: at.line, column: at.column }))
    }
    return this.parseCompare()
  }

  private parseCompare(): Expr {
    const first = this.parseMath1()
    const ops: Array<readonly [string, Expr]> = []
    for (;;) {
      if (this.token.type === "operator" && COMPARE_OPS.has(this.token.value)) {
        const op = this.next().value
        ops.push([op, this.parseMath1()])
      } else if (this.skipName("in")) {
        ops.push(["in", this.parseMath1()])
      } else if (this.isName("not") && this.tokens[this.i + 1]?.type === "name" && this.tokens[this.i + 1]?.value === "in") {
        this.i += 2
        ops.push(["not in", this.parseMath1()])
      } else {
        break
      }
    }
    return ops.length === 0 ? first : { kind: "compare", first, ops, line: first.line, column: first.column }
  }

  private parseMath1(): Expr {
    let left = this.parseConcat()
    while (this.isOp("+") || this.isOp("-")) {
      const op = this.next().value
      left = { kind: "binary", op, left, right: this.parseConcat(), line: left.line, column: left.column }
    }
    return left
  }

  private parseConcat(): Expr {
    const first = this.parseMath2()
    if (!this.isOp("~")) return first
    const parts = [first]
    while (this.skipOp("~")) parts.push(this.parseMath2())
    return { kind: "concat", parts, line: first.line, column: first.column }
  }

  private parseMath2(): Expr {
    let left = this.parsePow()
    while (this.isOp("*") || this.isOp("/") || this.isOp("//") || this.isOp("%")) {
      const op = this.next().value
      left = { kind: "binary", op, left, right: this.parsePow(), line: left.line, column: left.column }
    }
    return left
  }

  private parsePow(): Expr {
    let left = this.parseUnary()
    while (this.skipOp("**")) left = { kind: "binary", op: "**", left, right: this.parseUnary(), line: left.line, column: left.column }
    return left
  }

  private parseUnary(withFilter = true): Expr {
    const at = this.token
    let node: Expr
    if (this.isOp("-") || this.isOp("+")) {
      const op = this.next().value as "-" | "+"
      node = this.nested(at, () => ({ kind: "unary", op, operand: this.parseUnary(false), line: at.line, column: at.column }))
    } else {
      node = this.parsePostfix(this.parsePrimary())
    }
    return withFilter ? this.parseFilterExpr(node) : node
  }

  private parsePrimary(): Expr {
    const t = this.token
    const at = { line: t.line, column: t.column }
    if (t.type === "name") {
      this.next()
      if (Object.hasOwn(CONSTANTS, t.value)) return { kind: "const", value: CONSTANTS[t.value]!, ...at }
      return { kind: "name", name: t.value, ...at }
    }
    if (t.type === "string") {
      let value = this.next().value
      while (this.token.type === "string") value += this.next().value
      return { kind: "const", value, ...at }
    }
    if (t.type === "number") {
      this.next()
      return { kind: "const", value: t.number!, ...at }
    }
    if (this.isOp("(")) return this.nested(t, () => this.parseParenthesized())
    if (this.isOp("[")) return this.nested(t, () => this.parseList())
    if (this.isOp("{")) return this.nested(t, () => this.parseDict())
    throw this.error(`unexpected ${this.describe(t)} in an expression`)
  }

  private parseParenthesized(): Expr {
    const open = this.next()
    if (this.skipOp(")")) return { kind: "list", items: [], line: open.line, column: open.column }
    const expr = this.parseTupleOrExpression()
    this.expectOp(")")
    return expr
  }

  private parseList(): Expr {
    const open = this.next()
    const items: Array<Expr> = []
    while (!this.isOp("]")) {
      items.push(this.parseExpression())
      if (!this.skipOp(",")) break
    }
    this.expectOp("]")
    return { kind: "list", items, line: open.line, column: open.column }
  }

  private parseDict(): Expr {
    const open = this.next()
    const entries: Array<readonly [Expr, Expr]> = []
    while (!this.isOp("}")) {
      const key = this.parseExpression()
      this.expectOp(":")
      entries.push([key, this.parseExpression()])
      if (!this.skipOp(",")) break
    }
    this.expectOp("}")
    return { kind: "dict", entries, line: open.line, column: open.column }
  }

  private parsePostfix(node: Expr): Expr {
    for (;;) {
      const at = this.token
      if (this.skipOp(".")) {
        const t = this.next()
        if (t.type === "name") node = { kind: "getattr", target: node, name: t.value, line: at.line, column: at.column }
        else if (t.type === "number" && Number.isInteger(t.number)) {
          node = { kind: "getitem", target: node, key: { kind: "const", value: t.number!, line: t.line, column: t.column }, line: at.line, column: at.column }
        } else throw this.error(`expected an attribute name after '.', got ${this.describe(t)}`, t)
      } else if (this.isOp("[")) {
        node = this.nested(at, () => this.parseSubscript(node))
      } else if (this.isOp("(")) {
        node = this.nested(at, () => ({ kind: "call", callee: node, args: this.parseArgs(), line: at.line, column: at.column }))
      } else {
        return node
      }
    }
  }

  private parseSubscript(target: Expr): Expr {
    const open = this.next()
    const part = (): Expr | null => (this.isOp(":") || this.isOp("]") ? null : this.parseExpression())
    const start = part()
    if (!this.skipOp(":")) {
      this.expectOp("]")
      if (start === null) throw this.error("empty subscript", open)
      return { kind: "getitem", target, key: start, line: open.line, column: open.column }
    }
    const stop = part()
    const step = this.skipOp(":") ? part() : null
    this.expectOp("]")
    return { kind: "slice", target, start, stop, step, line: open.line, column: open.column }
  }

  private parseArgs(): Args {
    this.expectOp("(")
    const positional: Array<Expr> = []
    const keywords: Array<readonly [string, Expr]> = []
    while (!this.isOp(")")) {
      const t = this.token
      const next = this.tokens[this.i + 1]
      if (t.type === "name" && next?.type === "operator" && next.value === "=") {
        this.i += 2
        keywords.push([t.value, this.parseExpression()])
      } else {
        if (keywords.length > 0) throw this.error("a positional argument cannot follow a keyword argument")
        positional.push(this.parseExpression())
      }
      if (!this.skipOp(",")) break
    }
    this.expectOp(")")
    return { positional, keywords }
  }

  private parseFilterExpr(node: Expr): Expr {
    for (;;) {
      const at = this.token
      if (this.skipOp("|")) {
        const name = this.expectName("a filter name after '|'")
        const args = this.isOp("(") ? this.nested(at, () => this.parseArgs()) : { positional: [], keywords: [] }
        node = { kind: "filter", target: node, name: name.value, args, line: name.line, column: name.column }
        node = this.parsePostfix(node)
      } else if (this.isName("is")) {
        this.next()
        const negated = this.skipName("not")
        const name = this.expectName("a test name after 'is'")
        let args: Args = { positional: [], keywords: [] }
        if (this.isOp("(")) args = this.nested(at, () => this.parseArgs())
        else if (this.startsTestArgument()) args = { positional: [this.parsePostfix(this.parsePrimary())], keywords: [] }
        node = { kind: "test", target: node, name: name.value, negated, args, line: name.line, column: name.column }
      } else {
        return node
      }
    }
  }

  /** `x is divisibleby 3`: a test may take one argument without parentheses. */
  private startsTestArgument(): boolean {
    const t = this.token
    if (t.type === "number" || t.type === "string") return true
    if (t.type === "name") return !NOT_A_TEST_ARGUMENT.has(t.value)
    return t.type === "operator" && (t.value === "[" || t.value === "{" || t.value === "(")
  }
}

/** Parse a whole template. Throws `TemplateError` with the position of the mistake. */
export const parseTemplate = (source: string): ReadonlyArray<Stmt> => new Parser(tokenize(source)).parseBody([])
