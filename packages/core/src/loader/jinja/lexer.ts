/**
 * Jinja's lexer: template text → tokens. Text between tags becomes one `text` token; inside
 * `{{ … }}` and `{% … %}` the expression is split into names, numbers, strings and operators.
 * As in Jinja2, a `}}` or `%}` inside open brackets does not end the tag (so `{{ {'a': {}} }}`
 * works), `-` beside a delimiter strips the whitespace on that side, `{# … #}` is a comment and
 * `{% raw %}…{% endraw %}` is copied verbatim. Positions are 1-based line and column.
 */
import { TemplateError } from "./errors.ts"

export type TokenType =
  | "text"
  | "variable_begin"
  | "variable_end"
  | "block_begin"
  | "block_end"
  | "name"
  | "number"
  | "string"
  | "operator"
  | "eof"

export interface Token {
  readonly type: TokenType
  /** The text, the operator, the name, or the decoded string. */
  readonly value: string
  /** For numbers. */
  readonly number?: number
  readonly line: number
  readonly column: number
}

const OPERATORS = ["//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|"]
const OPENING: Record<string, string> = { "(": ")", "[": "]", "{": "}" }

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y
const FLOAT = /(?:\d+_)*\d+(?:(?:\.(?:\d+_)*\d+)?[eE][+-]?(?:\d+_)*\d+|\.(?:\d+_)*\d+)/y
const INTEGER = /(?:\d+_)*\d+/y
const WHITESPACE = /\s+/y
const RAW_BEGIN = /\{%(-?)\s*raw\s*(-?)%\}/y
const RAW_END = /\{%(-?)\s*endraw\s*(-?)%\}/g

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", "\"": "\"", "0": "\0", a: "\x07", b: "\b", f: "\f", v: "\v" }

class Lexer {
  private pos = 0
  private line = 1
  private lineStart = 0
  private readonly tokens: Array<Token> = []
  /** Strip the whitespace at the start of the next text (a `-%}` before it). */
  private stripNext = false
  private readonly source: string

  constructor(source: string) {
    this.source = source
  }

  run(): Array<Token> {
    while (this.pos < this.source.length) this.text()
    this.push("eof", "", this.pos)
    return this.tokens
  }

  private column(at: number): number {
    return at - this.lineStart + 1
  }

  private error(message: string, at: number = this.pos): TemplateError {
    this.advanceTo(at)
    return new TemplateError(message, this.line, this.column(at))
  }

  /** Move to `to`, counting the newlines passed. */
  private advanceTo(to: number): void {
    for (let i = this.source.indexOf("\n", this.pos); i !== -1 && i < to; i = this.source.indexOf("\n", i + 1)) {
      this.line++
      this.lineStart = i + 1
    }
    this.pos = to
  }

  private push(type: TokenType, value: string, at: number, number?: number): void {
    this.advanceTo(at)
    this.tokens.push({ type, value, line: this.line, column: this.column(at), ...(number === undefined ? {} : { number }) })
  }

  private pushText(text: string, at: number, stripEnd: boolean): void {
    let t = this.stripNext ? text.replace(/^\s+/, "") : text
    if (stripEnd) t = t.replace(/\s+$/, "")
    this.stripNext = false
    if (t !== "") this.push("text", t, at)
  }

  /** Text up to the next tag, then the tag. */
  private text(): void {
    const start = this.pos
    const open = /\{[{%#]/g
    open.lastIndex = start
    const found = open.exec(this.source)
    if (found === null) {
      this.pushText(this.source.slice(start), start, false)
      this.advanceTo(this.source.length)
      return
    }
    const at = found.index
    const strip = this.source[at + 2] === "-"
    RAW_BEGIN.lastIndex = at
    const raw = RAW_BEGIN.exec(this.source)
    this.pushText(this.source.slice(start, at), start, strip || (raw !== null && raw[1] === "-"))
    if (raw !== null) return this.raw(at, raw)
    const kind = found[0][1]!
    const bodyStart = at + 2 + (strip || this.source[at + 2] === "+" ? 1 : 0)
    if (kind === "#") return this.comment(at, bodyStart)
    this.push(kind === "{" ? "variable_begin" : "block_begin", found[0], at)
    this.pos = bodyStart
    this.expression(kind === "{" ? "}}" : "%}", kind === "{" ? "variable_end" : "block_end")
  }

  private comment(at: number, bodyStart: number): void {
    const end = this.source.indexOf("#}", bodyStart)
    if (end === -1) throw this.error("missing end of comment tag", at)
    this.stripNext = this.source[end - 1] === "-"
    this.advanceTo(end + 2)
  }

  private raw(at: number, begin: RegExpExecArray): void {
    RAW_END.lastIndex = at + begin[0].length
    const end = RAW_END.exec(this.source)
    if (end === null) throw this.error("missing {% endraw %} for this {% raw %}", at)
    this.stripNext = begin[2] === "-"
    this.pushText(this.source.slice(at + begin[0].length, end.index), at + begin[0].length, end[1] === "-")
    this.stripNext = end[2] === "-"
    this.advanceTo(end.index + end[0].length)
  }

  /** Tokens of one `{{ }}` or `{% %}` body, up to its end delimiter outside brackets. */
  private expression(end: string, endType: TokenType): void {
    const brackets: Array<string> = []
    const src = this.source
    for (;;) {
      WHITESPACE.lastIndex = this.pos
      if (WHITESPACE.test(src)) this.advanceTo(WHITESPACE.lastIndex)
      if (this.pos >= src.length) throw this.error(`missing '${end}' at the end of the template`)
      if (brackets.length === 0) {
        const stripped = src.startsWith(`-${end}`, this.pos)
        if (stripped || src.startsWith(end, this.pos)) {
          this.push(endType, end, this.pos)
          this.stripNext = stripped
          this.advanceTo(this.pos + end.length + (stripped ? 1 : 0))
          return
        }
      }
      this.expressionToken(brackets)
    }
  }

  private expressionToken(brackets: Array<string>): void {
    const src = this.source
    const at = this.pos
    const c = src[at]!
    if (c === "'" || c === "\"") return this.string(c)
    const afterDot = this.tokens.at(-1)?.value === "." && this.tokens.at(-1)?.type === "operator"
    if (/\d/.test(c)) {
      const pattern = afterDot ? INTEGER : FLOAT
      pattern.lastIndex = at
      const m = pattern.exec(src) ?? (INTEGER.lastIndex = at, INTEGER.exec(src))!
      this.push("number", m[0], at, Number(m[0].replaceAll("_", "")))
      this.pos = at + m[0].length
      return
    }
    NAME.lastIndex = at
    const name = NAME.exec(src)
    if (name !== null) {
      this.push("name", name[0], at)
      this.pos = at + name[0].length
      return
    }
    const op = OPERATORS.find((o) => src.startsWith(o, at))
    if (op === undefined) throw this.error(`unexpected character ${JSON.stringify(c)}`)
    if (OPENING[op] !== undefined) brackets.push(OPENING[op])
    else if (op === ")" || op === "]" || op === "}") {
      const expected = brackets.pop()
      if (expected !== op) throw this.error(expected === undefined ? `unexpected '${op}'` : `unexpected '${op}', expected '${expected}'`)
    }
    this.push("operator", op, at)
    this.pos = at + op.length
  }

  private string(quote: string): void {
    const src = this.source
    const at = this.pos
    let value = ""
    let i = at + 1
    for (;;) {
      if (i >= src.length) throw this.error("unterminated string", at)
      const c = src[i]!
      if (c === quote) break
      if (c === "\\" && i + 1 < src.length) {
        const e = src[i + 1]!
        if (e === "u" || e === "x") {
          const digits = src.slice(i + 2, i + 2 + (e === "u" ? 4 : 2))
          if (/^[0-9a-fA-F]+$/.test(digits) && digits.length === (e === "u" ? 4 : 2)) {
            value += String.fromCharCode(parseInt(digits, 16))
            i += 2 + digits.length
            continue
          }
        }
        value += Object.hasOwn(ESCAPES, e) ? ESCAPES[e] : `\\${e}`
        i += 2
        continue
      }
      value += c
      i++
    }
    this.push("string", value, at)
    this.advanceTo(i + 1)
  }
}

/** Split a template into tokens. Throws `TemplateError` on a malformed tag. */
export const tokenize = (source: string): Array<Token> => new Lexer(source).run()
